"""After a burst the delivery worker keeps sending until nothing is due, and no faster
than a place allows: one Retry-After holds every waiting message for that place.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from storage.lifecycle_tables import NotificationRow
from storage.values import utc_now
from tests.fakes.github_api import FakeGitHub
from tests.lifecycle.conftest import (
    ASK_THREAD,
    CHANNEL,
    Bot,
    rate_limited,
    set_up_team,
    start_bot,
    stop_bot,
)
from tests.lifecycle.test_inbox_ingest import answer_only, ask_opened, child_opened


async def burst(bot: Bot, payloads: list[tuple[str, object]]) -> None:
    """Deliveries accepted while the worker is stopped, then worked in one batch and one kick."""
    await bot.notifications.ingest.stop()
    for delivery, payload in payloads:
        await answer_only(bot, payload, delivery)
    await bot.settle()


@pytest.fixture
async def one_by_one(tmp_path: Path, fake_github: FakeGitHub) -> AsyncIterator[Bot]:
    """A bot that never sums a burst up (DSLP_COALESCE_AFTER=0)."""
    running = await start_bot(tmp_path, fake_github, dslp_coalesce_after=0)
    await set_up_team(running)
    yield running
    await stop_bot(running)


async def test_a_burst_is_sent_whole_after_one_kick_not_twenty_per_sweep(one_by_one: Bot) -> None:
    await burst(one_by_one, [(f"d-{number}", ask_opened(number)) for number in range(10, 55)])
    assert len(one_by_one.told()[CHANNEL]) == 45
    assert await one_by_one.notifications.journal.counts() == {"sent": 45}


async def test_a_retry_after_holds_that_place_and_the_others_are_still_sent(bot: Bot) -> None:
    bot.slack.failures.append(rate_limited(30))
    opened = [(f"d-{number}", ask_opened(number)) for number in range(10, 13)]
    await burst(bot, [*opened, ("d-data", child_opened(2, "Data"))])
    assert list(bot.told()) == [ASK_THREAD], "the channel waits; the Ask's thread does not"
    with bot.app.database.engine.connect() as connection:
        waiting = connection.execute(
            select(col(NotificationRow.attempts), col(NotificationRow.next_attempt_at)).where(
                col(NotificationRow.channel_id) == CHANNEL.channel_id
            )
        ).all()
    assert sorted(attempts for attempts, _ in waiting) == [0, 0, 0, 1], "tried once, not four times"
    soonest = min(at.replace(tzinfo=UTC) for _, at in waiting) - utc_now()
    assert timedelta(seconds=28) < soonest <= timedelta(seconds=30)
    assert await bot.notifications.worker.drain_due() == 0, "nothing due: it stops, no spinning"
