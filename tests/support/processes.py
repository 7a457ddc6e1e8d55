"""The real `dslp-bot serve` as a child process, started the way an operator starts it.

Used by the replica test and the benchmarks: the server reads only its
environment, so fakes and databases are handed to it as URLs. A child's
output goes to a log file the caller can show when something goes wrong.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp

if TYPE_CHECKING:
    from tests.fakes.github_api import FakeGitHub
    from tests.fakes.slack_api import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
SERVE = ["-m", "adapters.entry", "serve"]
WEBHOOK_SECRET = "served-webhook-secret"


PORT_TAKEN = "address already in use"
"""What a child that lost the race for its port logs (asyncio's bind error, lower-cased)."""
STARTS = 5


def free_port() -> int:
    """A port free a moment ago: another process may take it before the caller binds it,
    so whoever hands it on must start again on a new one when that happens (`until_ready`)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_env(
    database_url: str,
    github: FakeGitHub,
    slack: FakeSlack,
    data: Path,
    *,
    signing_secret: str,
    lease_seconds: float = 30.0,
) -> dict[str, str]:
    """What `dslp-bot serve` needs to talk to the fakes only; GitHub's waits shortened."""
    return {
        "DSLP_DATABASE_URL": database_url,
        "DSLP_DATA_DIR": str(data),
        "DSLP_TIMEZONE": "UTC",
        "DSLP_LOG_LEVEL": "INFO",
        "GITHUB_TOKEN": github.token,
        "GITHUB_REPOSITORY": github.repository,
        "GITHUB_API_URL": github.api_url,
        "GITHUB_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "DSLP_GITHUB_REQUEST_GAP": "0",
        "DSLP_GITHUB_WRITE_GAP": "0",
        "DSLP_GITHUB_RETRY_BACKOFF": "0.05",
        "SLACK_BOT_TOKEN": slack.token,
        "SLACK_SIGNING_SECRET": signing_secret,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": slack.api_url,
        "MICROSOFT_APP_ID": "",
        "DSLP_FILING_LEASE_SECONDS": str(lease_seconds),
        "DSLP_DIGEST_RESYNC_SECONDS": "1",
    }


def child_env(env: Mapping[str, str]) -> dict[str, str]:
    """The parent's environment (PATH, locale) plus this checkout on PYTHONPATH, plus `env`."""
    return {**os.environ, "PYTHONPATH": str(ROOT), **env}


@dataclass
class Served:
    """A running `dslp-bot serve`: its process, port and log file."""

    child: subprocess.Popen[bytes]
    port: int
    log: Path
    env: Mapping[str, str]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, as when a machine or container dies."""
        self.child.kill()
        self.child.wait(timeout=10)

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM, the graceful stop; SIGKILL if it does not end in time."""
        if self.child.poll() is not None:
            return
        self.child.send_signal(signal.SIGTERM)
        try:
            self.child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


def start_serve(env: Mapping[str, str], log: Path, *, port: int = 0) -> Served:
    """Start the server without waiting for it (see `until_ready`), so several start together.

    On `port` (a restart passes its predecessor's, as a host keeps its address), or on one
    that was free a moment ago.
    """
    port = port or free_port()
    settings = {"HOST": "127.0.0.1", "PORT": str(port), **env}
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        child = subprocess.Popen(
            [sys.executable, *SERVE], env=child_env(settings), stdout=out, stderr=out
        )
    return Served(child, port, log, env)


async def until_ready(served: Served, timeout: float = 30.0) -> None:
    """Wait until `/readyz` answers 200, without blocking the caller's event loop
    (fakes served on that loop must keep answering the child meanwhile).

    A child whose port was taken between `free_port` and its bind starts again
    on a new port (the same `served`, so callers see the new one).
    """
    starts = 1
    probe = aiohttp.ClientTimeout(total=5)  # whoever took the port may never answer
    async with aiohttp.ClientSession(timeout=probe) as session:
        for _ in range(int(timeout / 0.05)):
            if served.child.poll() is not None:
                if PORT_TAKEN not in served.output().lower() or starts == STARTS:
                    raise RuntimeError(f"dslp-bot serve exited:\n{served.output()[-3000:]}")
                served.child, served.port = _again(served)
                starts += 1
            try:
                async with session.get(served.url("/readyz")) as response:
                    if response.status == 200:
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(0.05)
    raise TimeoutError(f"not ready after {timeout}s:\n{served.output()[-3000:]}")


def _again(served: Served) -> tuple[subprocess.Popen[bytes], int]:
    again = start_serve(served.env, served.log)
    return again.child, again.port
