"""The garbage collector is off while the program loads (adapters/entry.py), and on after."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.cli import main
from tests.support.processes import ROOT


@pytest.fixture
def collector_off() -> Iterator[None]:
    """As adapters.entry leaves it; whatever a test does, the suite goes on with it on."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("collector_off")
def test_a_command_other_than_serve_runs_with_the_collector_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DSLP_DATA_DIR", str(tmp_path))
    assert main(["migrate"]) == 0
    assert gc.isenabled()


def test_serve_turns_it_on_once_what_it_loaded_is_frozen() -> None:
    """In a process of its own: freezing this one's heap would move the collector's next full
    pass into some later test."""
    script = (
        "import asyncio, gc; gc.disable()\n"
        "from aiohttp import web\n"
        "from adapters.web import freeze_heap\n"
        "asyncio.run(freeze_heap(web.Application()))\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == ["True", "True"]
