"""The harness that starts `dslp-bot serve` survives losing its port to another process."""

from __future__ import annotations

import socket
from pathlib import Path

import aiohttp
import pytest

from tests.support.processes import start_serve, until_ready

pytestmark = pytest.mark.slow


async def test_a_server_whose_port_was_taken_starts_again_on_another(tmp_path: Path) -> None:
    with socket.socket() as taker:
        taker.bind(("127.0.0.1", 0))
        taker.listen()
        taken = int(taker.getsockname()[1])
        env = {
            "DSLP_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
            "DSLP_DATA_DIR": str(tmp_path / "data"),
        }
        served = start_serve(env, tmp_path / "serve.log", port=taken)
        try:
            await until_ready(served)
            async with (
                aiohttp.ClientSession() as session,
                session.get(served.url("/healthz")) as response,
            ):
                assert response.status == 200
            assert served.port != taken
        finally:
            served.stop()
