"""Starting the real `dslp-bot serve` (and the floors) as processes, as an operator would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.support.processes import ROOT, SERVE, child_env, free_port

__all__ = ["ROOT", "cpu_seconds", "dslp_serve", "free_port", "process", "rss_mb", "wait_ready"]


def wait_ready(url: str, timeout: float = 30.0) -> float:
    """Seconds until `url` answers 200."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(f"{url} not ready after {timeout}s")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far: on a shared machine the part
    of a start that does not depend on how busy the neighbours keep the cores."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def process(
    args: list[str], env: Mapping[str, str], ready_url: str
) -> Iterator[tuple[subprocess.Popen[bytes], float]]:
    """A child process and the seconds it took to become ready; stopped with SIGTERM after."""
    child = subprocess.Popen(
        args, env=child_env(env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield child, wait_ready(ready_url)
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()


@contextmanager
def dslp_serve(env: Mapping[str, str]) -> Iterator[tuple[subprocess.Popen[bytes], float, int]]:
    port = free_port()
    args = [sys.executable, *SERVE]
    settings = {"HOST": "127.0.0.1", "PORT": str(port), "DSLP_LOG_LEVEL": "WARNING", **env}
    with process(args, settings, f"http://127.0.0.1:{port}/readyz") as (child, seconds):
        yield child, seconds, port
