"""The fakes in a process of their own, so the bot measured does not pay for them.

    python -m benchmarks.fakes [--digest-issues N]

starts FakeSlack and FakeGitHub on free ports, prints one line
`slack=<SLACK_API_URL> github=<GITHUB_API_URL>` and serves until terminated. FakeSlack keeps
every call in memory; a benchmark run is small enough for that. With `--digest-issues N`
FakeGitHub's repository holds N issues first, a tenth of them open stale Experiments (the
digest's scaling rows): in another process, its filtering of every issue for each page it
serves neither holds the bot's interpreter lock nor counts as the bot's CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tests.digest.test_github_cost import seed
from tests.fakes.github_api import FakeGitHub
from tests.fakes.slack_api import FakeSlack
from tests.support.processes import child_env


@dataclass(frozen=True)
class Fakes:
    slack_api_url: str
    github_api_url: str


@contextmanager
def fakes(digest_issues: int = 0) -> Iterator[Fakes]:
    """FakeSlack and FakeGitHub in a child process; their URLs from its first line."""
    args = [sys.executable, "-m", "benchmarks.fakes", "--digest-issues", str(digest_issues)]
    child = subprocess.Popen(args, env=child_env({}), stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        urls = dict(part.split("=", 1) for part in child.stdout.readline().split())
        yield Fakes(urls["slack"], urls["github"])
    finally:
        child.terminate()
        child.wait(timeout=10)


def seed_digest(fake: FakeGitHub, size: int) -> None:
    for number in range(1, size + 1):
        if number % 10 == 0:
            seed(fake, number, ["Experiment"], age=30, body="***Ask Reference:*** #1")
        else:
            seed(fake, number, ["Experiment", "failed"], age=400, closed=300)


async def serve(digest_issues: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    with FakeGitHub() as github:
        seed_digest(github, digest_issues)
        slack = await FakeSlack().start()
        print(f"slack={slack.api_url} github={github.api_url}", flush=True)
        await stop.wait()
        await slack.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fakes")
    parser.add_argument("--digest-issues", type=int, default=0)
    asyncio.run(serve(parser.parse_args().digest_issues))
    sys.exit(0)
