"""The inbox between the webhook's answer and the lifecycle: nothing lost, nothing twice.

The webhook answers once the raw delivery is committed to the inbox; these
tests stop the ingest worker (as a crash would) to look at the moment in
between, and run two workers on one inbox as two replicas would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select, update
from sqlmodel import col

from adapters.github.ingest import MAX_ATTEMPTS, IngestWorker
from bot.lifecycle.audience import Delivery, Recording
from bot.lifecycle.events import KnownIssue, TrackerEvent
from bot.lifecycle.service import Lifecycle
from bot.types import Place
from storage.events import SqlEventJournal
from storage.inbox_tables import InboxRow
from storage.lifecycle_tables import NotificationRow, TrackerEventRow
from storage.values import utc_now
from tests.fakes.github_api import FakeGitHub
from tests.lifecycle.conftest import CHANNEL, SECRET, Bot, set_up_team, start_bot, stop_bot
from tests.lifecycle.test_webhook_delivery import until
from tests.support.webhooks import issue_payload, signed

OPENED = issue_payload("opened", number=1, title="Predict churn", labels=("Ask",))


def count(bot: Bot, table: type) -> int:
    with bot.app.database.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def expire_leases(bot: Bot) -> None:
    with bot.app.database.engine.begin() as connection:
        past = utc_now() - timedelta(seconds=1)
        connection.execute(update(InboxRow).values(lease_until=past))


async def answer_only(bot: Bot, payload: Any, delivery: str) -> tuple[int, Any]:
    """Post without working the inbox afterwards: what GitHub sees, and nothing more."""
    body, headers = signed("issues", payload, SECRET, delivery=delivery)
    response = await bot.client.post("/github/webhook", data=body, headers=headers)
    return response.status, await response.json()


def worker_for(bot: Bot, lifecycle: Lifecycle | None = None) -> IngestWorker:
    notifications = bot.notifications
    return IngestWorker(
        inbox=notifications.inbox,
        lifecycle=lifecycle or notifications.lifecycle,
        after=notifications.worker.kick,
    )


async def test_a_crash_between_the_answer_and_the_work_loses_nothing(
    tmp_path: Path, fake_github: FakeGitHub
) -> None:
    first = await start_bot(tmp_path, fake_github)
    await set_up_team(first)
    await first.notifications.ingest.stop()  # the process dies before working the row
    assert await answer_only(first, OPENED, "d-inbox") == (202, {"ok": True, "recorded": True})
    assert await first.notifications.inbox.counts() == {"received": 1, "waiting": 1}
    assert count(first, TrackerEventRow) == 0 and first.told() == {}
    await stop_bot(first)

    second = await start_bot(tmp_path, fake_github)  # its inbox worker starts with the backlog
    await until(lambda: CHANNEL in second.told())
    assert await second.notifications.inbox.counts() == {"received": 1, "waiting": 0}
    status, answer = await second.post("issues", OPENED, delivery="d-inbox")
    assert (status, answer["recorded"]) == (202, False), "GitHub's redelivery after the restart"
    assert len(second.told()[CHANNEL]) == 1
    await stop_bot(second)


async def test_a_worker_dying_mid_batch_leaves_its_rows_to_another_after_the_lease(
    bot: Bot,
) -> None:
    await bot.notifications.ingest.stop()
    await answer_only(bot, OPENED, "d-1")
    assert len(await bot.notifications.inbox.claim(limit=10, lease_seconds=60)) == 1  # dies
    survivor = worker_for(bot)
    assert await survivor.run_once() == 0, "leased by the dead worker"
    expire_leases(bot)
    assert await survivor.run_once() == 1
    assert await survivor.run_once() == 0
    await bot.settle()
    assert len(bot.told()[CHANNEL]) == 1


async def test_concurrent_redeliveries_are_recorded_once(bot: Bot) -> None:
    await bot.notifications.ingest.stop()
    answers = await asyncio.gather(*(answer_only(bot, OPENED, "d-same") for _ in range(4)))
    assert sorted(answer["recorded"] for _, answer in answers) == [False, False, False, True]
    assert {status for status, _ in answers} == {202}
    await bot.settle()
    assert await bot.notifications.inbox.counts() == {"received": 1, "waiting": 0}
    assert len(bot.told()[CHANNEL]) == 1


async def test_two_workers_share_the_inbox_and_record_each_event_once(bot: Bot) -> None:
    await bot.notifications.ingest.stop()
    for number in range(1, 7):
        payload = issue_payload("opened", number=number, title=f"Ask {number}", labels=("Ask",))
        await answer_only(bot, payload, f"d-{number}")
    one, two = worker_for(bot), worker_for(bot)
    claimed = await asyncio.gather(*(w.run_once(limit=2) for w in (one, two, one, two)))
    assert sum(claimed) == 6
    assert await one.run_once() == 0 and await two.run_once() == 0
    await bot.settle()
    assert count(bot, TrackerEventRow) == 6 and count(bot, NotificationRow) == 6
    assert len(bot.told()[CHANNEL]) == 6


class FlakyJournal:
    """The real journal, except that recording fails `failures` times first.

    With `together` it fails only when asked to record several events at once.
    """

    def __init__(self, journal: SqlEventJournal, failures: int, *, together: bool = False) -> None:
        self._journal = journal
        self.failures = failures
        self._together = together

    async def seen(self, *, delivery: str) -> bool:
        return await self._journal.seen(delivery=delivery)

    async def seen_among(self, *, deliveries: Sequence[str]) -> set[str]:
        return await self._journal.seen_among(deliveries=deliveries)

    async def record(
        self,
        *,
        event: TrackerEvent,
        ask_number: int | None,
        deliveries: Sequence[Delivery],
        phase: str | None = None,
    ) -> bool:
        recording = Recording(event, ask_number, tuple(deliveries), phase)
        return bool(await self.record_all(recordings=[recording]))

    async def record_all(self, *, recordings: Sequence[Recording]) -> set[str]:
        if self.failures and (len(recordings) > 1 or not self._together):
            self.failures -= 1
            raise RuntimeError("database went away")
        return await self._journal.record_all(recordings=recordings)

    async def known_issue(self, *, repository: str, number: int) -> KnownIssue | None:
        return await self._journal.known_issue(repository=repository, number=number)

    async def watchers(self, *, repository: str, ask_number: int) -> Sequence[Place]:
        return await self._journal.watchers(repository=repository, ask_number=ask_number)


def flaky_worker(bot: Bot, failures: int, *, together: bool = False) -> IngestWorker:
    notifications = bot.notifications
    lifecycle = Lifecycle(
        asks=bot.app.asks,
        people=notifications.people,
        journal=FlakyJournal(notifications.journal, failures, together=together),
        trackers=bot.app.trackers,
        config=notifications.config,
        repository="octo/dslp",
    )
    return worker_for(bot, lifecycle)


async def test_a_failing_row_is_tried_again_later_and_recorded_once(bot: Bot) -> None:
    await bot.notifications.ingest.stop()
    await answer_only(bot, OPENED, "d-flaky")
    worker = flaky_worker(bot, failures=1)
    assert await worker.run_once() == 1
    assert await bot.notifications.inbox.counts() == {"received": 1, "waiting": 1}
    assert await worker.run_once() == 0, "not before its retry time"
    expire_leases(bot)
    assert await worker.run_once() == 1
    await bot.settle()
    assert len(bot.told()[CHANNEL]) == 1 and count(bot, TrackerEventRow) == 1


async def test_a_row_that_keeps_failing_is_given_up_and_blocks_nothing(bot: Bot) -> None:
    await bot.notifications.ingest.stop()
    await answer_only(bot, OPENED, "d-poison")
    with bot.app.database.engine.begin() as connection:
        connection.execute(update(InboxRow).values(attempts=MAX_ATTEMPTS - 1))
    assert await flaky_worker(bot, failures=1).run_once() == 1
    assert await bot.notifications.inbox.counts() == {"received": 1, "waiting": 0}
    with bot.app.database.engine.connect() as connection:
        error = connection.execute(select(col(InboxRow.last_error))).scalar_one()
    assert "database went away" in error and count(bot, TrackerEventRow) == 0


async def test_a_redelivery_after_its_row_was_pruned_is_still_told_once(bot: Bot) -> None:
    await bot.post("issues", OPENED, delivery="d-late")
    assert await bot.notifications.inbox.prune(before=utc_now() + timedelta(seconds=1)) == 1
    status, answer = await bot.post("issues", OPENED, delivery="d-late")
    assert (status, answer["recorded"]) == (202, True), "a new inbox row..."
    assert await bot.notifications.inbox.counts() == {"received": 1, "waiting": 0}
    assert len(bot.told()[CHANNEL]) == 1, "...that the journal knows already"


@contextmanager
def writes(bot: Bot) -> Iterator[list[int]]:
    """Count the transactions that wrote something, committed on the bot's database meanwhile."""
    counted: list[int] = []
    engine = bot.app.database.engine

    def on_statement(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            connection.info["wrote"] = True

    def on_commit(connection: Any) -> None:
        if connection.info.pop("wrote", False):
            counted.append(1)

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "commit", on_commit)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine, "commit", on_commit)


def ask_opened(number: int) -> dict[str, Any]:
    return issue_payload("opened", number=number, title=f"Ask {number}", labels=("Ask",))


async def test_a_batch_of_distinct_issues_is_recorded_in_one_transaction(bot: Bot) -> None:
    await bot.notifications.ingest.stop()
    for number in range(10, 40):
        await answer_only(bot, ask_opened(number), f"d-{number}")
    with writes(bot) as counted:
        assert await worker_for(bot).run_once() == 30
    assert len(counted) <= 2, "the claim, and one for the 30 events (was one per event)"
    assert count(bot, TrackerEventRow) == 30 and count(bot, NotificationRow) == 30
    assert await bot.notifications.inbox.counts() == {"received": 30, "waiting": 0}


REF = "***Ask Reference:*** #1"


def child_opened(number: int, kind: str) -> dict[str, Any]:
    return issue_payload("opened", number=number, body=f"{REF}\n", labels=(kind,))


async def test_deliveries_of_one_ask_in_a_batch_are_worked_in_order_of_receipt(bot: Bot) -> None:
    """The second reads the phase the first wrote: Data, then Experiment, then a late Data."""
    await bot.notifications.ingest.stop()
    await answer_only(bot, child_opened(2, "Data"), "d-data")
    await answer_only(bot, ask_opened(50), "d-other-ask")
    await answer_only(bot, child_opened(3, "Experiment"), "d-experiment")
    await answer_only(bot, child_opened(4, "Data"), "d-late-data")
    assert await worker_for(bot).run_once() == 4
    filed = await bot.app.asks.by_number(repository="octo/dslp", number=1)
    assert filed is not None and filed.phase == "Experiment", "phases only move forward"
    with bot.app.database.engine.connect() as connection:
        order = connection.execute(
            select(col(TrackerEventRow.delivery)).order_by(col(TrackerEventRow.id))
        ).scalars()
        ask_one = [delivery for delivery in order if delivery != "github:d-other-ask"]
    assert ask_one == ["github:d-data", "github:d-experiment", "github:d-late-data"]


async def test_when_a_batch_cannot_be_recorded_together_each_row_is_recorded_alone(
    bot: Bot,
) -> None:
    await bot.notifications.ingest.stop()
    for number in range(10, 13):
        await answer_only(bot, ask_opened(number), f"d-{number}")
    assert await flaky_worker(bot, failures=1, together=True).run_once() == 3
    assert await bot.notifications.inbox.counts() == {"received": 3, "waiting": 0}
    await bot.settle()
    assert count(bot, TrackerEventRow) == 3 and len(bot.told()[CHANNEL]) == 3
