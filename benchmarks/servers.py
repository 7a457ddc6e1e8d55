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

__all__ = [
    "ROOT",
    "cpu_seconds",
    "dslp_serve",
    "free_port",
    "process",
    "rss_mb",
    "settle",
    "wait_ready",
]


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


IDLE = 0.9
"""The share of CPU time idle over a sample for the machine to count as settled."""
SAMPLE_SECONDS = 1.0
SETTLE_LIMIT_SECONDS = 60.0


def _cpu_times() -> tuple[int, int]:
    """(idle, total) jiffies of all CPUs since boot, from /proc/stat's first line."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return fields[3] + fields[4], sum(fields)


def settle() -> float:
    """Wait until the work of the section before has finished; the seconds waited.

    Writing 100,000 events leaves the kernel flushing pages and PostgreSQL vacuuming for
    seconds after the last answer, which would land in the next section's measurement.
    Dirty pages are flushed, then CPU idle is sampled until it is at least `IDLE` (or
    `SETTLE_LIMIT_SECONDS` pass: a neighbour may keep a shared machine busy for good).
    """
    started = time.perf_counter()
    os.sync()
    while time.perf_counter() - started < SETTLE_LIMIT_SECONDS:
        idle_before, total_before = _cpu_times()
        time.sleep(SAMPLE_SECONDS)
        idle_after, total_after = _cpu_times()
        if idle_after - idle_before >= IDLE * max(1, total_after - total_before):
            break
    return time.perf_counter() - started


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
