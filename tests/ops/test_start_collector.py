"""The garbage collector is off while the program loads (adapters/entry.py), and on after."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web

from adapters.cli import main
from adapters.web import freeze_heap


@pytest.fixture
def collector_off() -> Iterator[None]:
    """As adapters.entry leaves it; whatever a test does, the suite goes on with it on."""
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()


@pytest.mark.usefixtures("collector_off")
def test_a_command_other_than_serve_runs_with_the_collector_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DSLP_DATA_DIR", str(tmp_path))
    assert main(["migrate"]) == 0
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_off")
async def test_serve_turns_it_on_once_what_it_loaded_is_frozen() -> None:
    assert not gc.isenabled()
    await freeze_heap(web.Application())
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
