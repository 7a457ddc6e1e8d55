"""How cost grows with the data: time and peak memory at 1,000, 10,000 and 100,000.

In process, against SQLite in a temporary folder and FakeGitHub, so the
figures are the bot's own work (and the fake's answers, for the digest):

- digest build for a repository of N issues (a tenth of them open, stale Experiments): the
  CPU time of this process, with FakeGitHub in a process of its own (`benchmarks.fakes`);
- `status` and the App Home view for one person, with N filed Asks in the table (20 theirs);
- the webhook path (accept, then work into notifications) for 200 deliveries, with N
  events, N notifications and N inbox rows already stored.

Each step runs once to warm up, three times timed (the fastest counts), and once traced:
peak memory is what tracemalloc saw allocated during that last run (so tracing does not slow
the timed ones).
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from adapters.app import App
from adapters.composition import build
from adapters.github import GitHubTracker
from adapters.slack.home import home_view
from benchmarks.digest import NO_PAUSES
from benchmarks.fakes import fakes
from benchmarks.webhook import delivery
from bot.config import Settings
from bot.digest.model import Thresholds
from bot.digest.service import DigestBuilder
from bot.lifecycle.audience import Delivery, Recording
from bot.lifecycle.events import EventKind, TrackerEvent
from bot.types import FiledAsk, Issue, Person, Place
from storage.database import Database
from storage.digest import SqlSnoozeStore
from storage.inbox import Received
from tests.digest.test_github_cost import NOW

SIZES = (1_000, 10_000, 100_000)
PERSON = Person("slack", "U-ME", "T1")
PLACE = Place("slack", "C-SCALE", "T1")
CHUNK = 1_000
TOKEN = "test-token"
REPOSITORY = "octo/dslp"
"""FakeGitHub's own, as benchmarks.fakes starts it."""
DELIVERIES = 200
TIMED_RUNS = 3


@dataclass(frozen=True)
class Cost:
    seconds: float
    peak_mb: float


async def measure(
    step: Callable[[], Awaitable[object]], clock: Callable[[], float] = time.perf_counter
) -> Cost:
    """A warm-up run of `step`, the fastest of three timed ones (a neighbour's burst on a shared
    machine lengthens one run, not all three), then a traced one for its peak allocation.

    `clock` is wall time unless said otherwise (`time.process_time`: the CPU of every thread
    of this process, where waiting on another process's answers does not count). What the
    benchmark itself keeps alive (the other sizes' data) is frozen first, as `serve` freezes
    what it loaded: otherwise the collector's walks over it would be counted as the step's.
    """
    await step()
    gc.collect()
    gc.freeze()  # as `serve` does once started: the collector walks only what the step makes
    try:
        seconds = min([await _timed(step, clock) for _ in range(TIMED_RUNS)])
    finally:
        gc.unfreeze()
    tracemalloc.start()
    await step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Cost(seconds, peak / 1e6)


async def _timed(step: Callable[[], Awaitable[object]], clock: Callable[[], float]) -> float:
    started = clock()
    await step()
    return clock() - started


async def digest_cost(folder: Path, size: int) -> Cost:
    with fakes(digest_issues=size) as found:
        tracker = GitHubTracker(
            token=TOKEN, repository=REPOSITORY, api_url=found.github_api_url, policy=NO_PAUSES
        )
        folder.mkdir(parents=True, exist_ok=True)
        database = Database(f"sqlite:///{folder / 'digest.sqlite3'}")
        database.migrate()
        builder = DigestBuilder(tracker=tracker, snoozes=SqlSnoozeStore(database))
        try:
            return await measure(
                lambda: builder.build(place=PLACE, thresholds=Thresholds(), now=NOW),
                time.process_time,
            )
        finally:
            await tracker.aclose()
            database.dispose()


def app_in(folder: Path) -> App:
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        dslp_data_dir=folder,
        dslp_database_url=f"sqlite:///{folder / 'scale.sqlite3'}",
        github_repository="octo/dslp",
    )
    return build(settings)


async def filed_asks(app: App, size: int) -> None:
    """N Asks, 20 of them the person's, the rest spread over 50 others."""

    def ask(number: int) -> FiledAsk:
        owner = PERSON.key if number <= 20 else f"slack:T1:U{number % 50}"
        return FiledAsk(
            issue_number=number, issue_url=f"https://github.com/octo/dslp/issues/{number}",
            title=f"Ask {number}", requester=owner, requester_name="", origin=PLACE,
            draft_id=f"draft-{number}", repository="octo/dslp",
        )  # fmt: skip

    for start in range(1, size + 1, CHUNK):
        numbers = range(start, min(size, start + CHUNK - 1) + 1)
        await asyncio.gather(*(app.asks.record(ask=ask(n)) for n in numbers))


async def status_and_home_costs(folder: Path, size: int) -> tuple[Cost, Cost]:
    app = app_in(folder)
    try:
        await filed_asks(app, size)

        async def status() -> object:
            return await app.commands.message(person=PERSON, place=PLACE, text="status")

        async def home() -> object:
            asks = await app.asks.by_requester(requester=PERSON.key)
            drafts = await app.drafts.list_open(owner=PERSON.key)
            return home_view(asks, drafts, app.flows)

        return await measure(status), await measure(home)
    finally:
        app.database.dispose()


async def stored_events(app: App, size: int) -> None:
    """N events with a sent notification each, and N worked inbox rows."""
    journal, inbox = app.notifications.journal, app.notifications.inbox
    for start in range(0, size, CHUNK):
        numbers = range(start, min(size, start + CHUNK))
        recordings = [_recording(n) for n in numbers]
        await journal.record_all(recordings=recordings)
        added = [Received(f"old-{n}", "issues", "{}", f"old-digest-{n}") for n in numbers]
        await asyncio.gather(*(inbox.add(received) for received in added))
    claimed = await journal.claim_due(limit=size, lease_seconds=600)
    await journal.mark_all_sent(row_ids=[pending.id for pending in claimed])
    leased = await inbox.claim(limit=size, lease_seconds=600)
    await inbox.done_all(row_ids=[lease.id for lease in leased])


def _recording(n: int) -> Recording:
    issue = Issue(n, f"Old {n}", "", f"https://github.com/octo/dslp/issues/{n}")
    event = TrackerEvent(f"old-{n}", EventKind.OPENED, "octo/dslp", issue, actor="bob")
    notice = Delivery(f"old-{n}|slack:T1:C", PLACE, f"Old {n}", (), "ask-opened", None)
    return Recording(event, None, (notice,))


async def webhook_cost(folder: Path, size: int) -> Cost:
    app = app_in(folder)
    offset = [0]
    try:
        await stored_events(app, size)
        inbox, ingest = app.notifications.inbox, app.notifications.ingest

        async def accept_and_work() -> object:
            first, offset[0] = offset[0], offset[0] + DELIVERIES
            received = [_received(i) for i in range(first, first + DELIVERIES)]
            await asyncio.gather(*(inbox.add(one) for one in received))
            await ingest.drain()
            return None

        return await measure(accept_and_work)
    finally:
        app.database.dispose()


def _received(i: int) -> Received:
    body, headers = delivery(10_000_000 + i)
    return Received(f"github:{headers['X-GitHub-Delivery']}", "issues", body.decode(), f"d{i}")


async def scaling(tmp: Path, sizes: Sequence[int] = SIZES) -> dict[str, dict[int, Cost]]:
    """Each measure at each size: {measure: {size: cost}}."""
    found: dict[str, dict[int, Cost]] = {"digest": {}, "status": {}, "home": {}, "webhook": {}}
    for size in sizes:
        found["digest"][size] = await digest_cost(tmp / f"digest-{size}", size)
        status, home = await status_and_home_costs(tmp / f"asks-{size}", size)
        found["status"][size], found["home"][size] = status, home
        found["webhook"][size] = await webhook_cost(tmp / f"events-{size}", size)
    return found


def growth(costs: dict[int, Cost], of: Callable[[Cost], float] = lambda c: c.seconds) -> float:
    """How much the time (or what `of` reads) grew per tenfold data, at worst (10 is linear,
    1 flat)."""
    sizes = sorted(costs)
    steps = [of(costs[b]) / of(costs[a]) for a, b in itertools.pairwise(sizes) if of(costs[a])]
    return max(steps) if steps else 1.0
