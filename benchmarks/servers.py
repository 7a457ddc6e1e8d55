"""Starting the real `dslp-bot serve` (and the floors) as processes, as an operator would."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


@contextmanager
def process(
    args: list[str], env: Mapping[str, str], ready_url: str
) -> Iterator[tuple[subprocess.Popen[bytes], float]]:
    """A child process and the seconds it took to become ready; stopped with SIGTERM after."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    child = subprocess.Popen(
        args, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
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
    args = [sys.executable, "-m", "adapters.cli", "serve"]
    settings = {"HOST": "127.0.0.1", "PORT": str(port), "DSLP_LOG_LEVEL": "WARNING", **env}
    with process(args, settings, f"http://127.0.0.1:{port}/readyz") as (child, seconds):
        yield child, seconds, port
