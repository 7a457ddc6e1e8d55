"""The fakes in a process of their own, so the load generator does not pay for them.

    python -m benchmarks.fakes

starts FakeSlack and FakeGitHub on free ports, prints one line
`slack=<SLACK_API_URL> github=<GITHUB_API_URL>` and serves until terminated.
FakeSlack keeps every call in memory; a benchmark run is small enough for that.
"""

from __future__ import annotations

import asyncio
import signal
import sys

from tests.fakes.github_api import FakeGitHub
from tests.fakes.slack_api import FakeSlack


async def serve() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    with FakeGitHub() as github:
        slack = await FakeSlack().start()
        print(f"slack={slack.api_url} github={github.api_url}", flush=True)
        await stop.wait()
        await slack.stop()


if __name__ == "__main__":
    asyncio.run(serve())
    sys.exit(0)
