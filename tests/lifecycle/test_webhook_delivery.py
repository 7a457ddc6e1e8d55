"""The webhook's edges and the outbox's promises: nothing lost, nothing twice."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import col

from adapters.notifications import Backoff, DeliveryWorker
from bot.ports import DeliveryError
from bot.types import Place
from storage.lifecycle_tables import NotificationRow, TrackerEventRow
from storage.values import utc_now
from tests.fakes.github_api import FakeGitHub
from tests.lifecycle.conftest import (
    CHANNEL,
    SECRET,
    Bot,
    filed_ask,
    gone,
    rate_limited,
    set_up_team,
    start_bot,
    stop_bot,
)
from tests.support.webhooks import issue_payload, ping_payload, signed

OPENED = issue_payload("opened", number=1, title="Predict churn", labels=("Ask",))


def rows(bot: Bot, table: type) -> int:
    with bot.app.database.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


async def test_ping_is_answered(bot: Bot) -> None:
    status, answer = await bot.post("ping", ping_payload())
    assert (status, answer["pong"]) == (200, True)


async def test_unsigned_wrongly_signed_or_other_scheme_is_401_and_nothing_recorded(
    bot: Bot,
) -> None:
    body, headers = signed("issues", OPENED, SECRET)
    unsigned = {k: v for k, v in headers.items() if k != "X-Hub-Signature-256"}
    wrong = {
        **headers,
        "X-Hub-Signature-256": signed("issues", OPENED, "guess")[1]["X-Hub-Signature-256"],
    }
    sha1 = {**headers, "X-Hub-Signature-256": "sha1=" + headers["X-Hub-Signature-256"][7:]}
    tampered = body.replace(b"Predict churn", b"Predict chum!")
    for attempt_body, attempt_headers in [
        (body, unsigned),
        (body, wrong),
        (body, sha1),
        (tampered, headers),
    ]:
        status, _ = await bot.post_raw(attempt_body, attempt_headers)
        assert status == 401
    assert rows(bot, TrackerEventRow) == 0 and bot.told() == {}


async def test_malformed_json_or_missing_fields_is_400_and_nothing_recorded(bot: Bot) -> None:
    broken = {k: v for k, v in OPENED.items() if k != "issue"}
    no_number = json.loads(json.dumps(OPENED))
    no_number["issue"].pop("number")
    for payload in [b"{not json", broken, no_number, [1, 2]]:
        status, _ = await bot.post("issues", payload)
        assert status == 400
    body, headers = signed("issues", OPENED, SECRET)
    status, _ = await bot.post_raw(body, {**headers, "X-GitHub-Delivery": ""})
    assert status == 400
    assert rows(bot, TrackerEventRow) == 0 and bot.told() == {}


async def test_unknown_events_actions_and_repositories_are_ignored_quietly(bot: Bot) -> None:
    other_repo = issue_payload("opened", number=1, labels=("Ask",), repository="else/where")
    assigned = issue_payload("assigned", number=1, labels=("Ask",))
    for event, payload in [("issue_comment", OPENED), ("issues", assigned), ("issues", other_repo)]:
        status, answer = await bot.post(event, payload)
        assert status == 202 and "ignored" in answer
    assert rows(bot, TrackerEventRow) == 0 and bot.told() == {}


async def test_a_subscribed_other_repository_is_heard(bot: Bot) -> None:
    await bot.notifications.people.subscribe(repository="Else/Where", place=CHANNEL, by="x")
    other_repo = issue_payload("opened", number=1, labels=("Ask",), repository="else/where")
    status, answer = await bot.post("issues", other_repo)
    assert (status, answer["recorded"]) == (202, True)
    assert list(bot.told()) == [CHANNEL]


async def test_issues_without_dslp_labels_are_recorded_but_tell_nobody(bot: Bot) -> None:
    status, answer = await bot.post("issues", issue_payload("opened", number=5, labels=("bug",)))
    assert (status, answer["recorded"]) == (202, True)
    assert await bot.notifications.journal.counts() == {}, "no notification queued"
    assert bot.told() == {}


async def test_a_redelivered_webhook_is_told_once(bot: Bot) -> None:
    first = await bot.post("issues", OPENED, delivery="d-1")
    again = await bot.post("issues", OPENED, delivery="d-1")
    assert first[1]["recorded"] is True and again[1]["recorded"] is False
    assert len(bot.told()[CHANNEL]) == 1
    assert rows(bot, NotificationRow) == 1


async def test_a_body_replayed_under_a_new_delivery_id_is_told_once(bot: Bot) -> None:
    body, headers = signed("issues", OPENED, SECRET, delivery="d-1")
    first = await bot.post_raw(body, headers)
    replayed = await bot.post_raw(body, {**headers, "X-GitHub-Delivery": "d-forged"})
    assert first == (202, {"ok": True, "recorded": True})
    assert replayed == (202, {"ok": True, "recorded": False})
    assert rows(bot, TrackerEventRow) == 1 and len(bot.told()[CHANNEL]) == 1


async def test_opened_plus_labeled_for_the_same_issue_is_told_once(bot: Bot) -> None:
    """GitHub sends `opened` and one `labeled` per label for an issue created with labels;
    a token that may only triage gets its labels added after creation instead."""
    await bot.post("issues", OPENED)
    await bot.post("issues", issue_payload("labeled", number=1, labels=("Ask",), label="Ask"))
    assert len(bot.told()[CHANNEL]) == 1


async def test_a_crash_between_recording_and_delivering_loses_nothing(
    tmp_path: Path, fake_github: FakeGitHub
) -> None:
    first = await start_bot(tmp_path, fake_github)
    await set_up_team(first)
    first.notifications.worker = Paused()  # type: ignore[assignment]
    status, _ = await first.post("issues", OPENED, delivery="d-crash")
    assert status == 202 and first.told() == {}
    await stop_bot(first)  # the process dies before any delivery

    second = await start_bot(tmp_path, fake_github)  # its start-up sweep finds the row
    await until(lambda: CHANNEL in second.told())
    assert await second.notifications.worker.run_once() == 0
    assert len(second.told()[CHANNEL]) == 1
    status, answer = await second.post("issues", OPENED, delivery="d-crash")
    assert (status, answer["recorded"]) == (202, False), "GitHub's redelivery after the restart"
    assert len(second.told()[CHANNEL]) == 1
    await stop_bot(second)


async def test_a_worker_dying_mid_send_leaves_the_row_to_another_after_its_lease(bot: Bot) -> None:
    bot.notifications.worker = Paused()  # type: ignore[assignment]
    await bot.post("issues", OPENED)
    journal = bot.notifications.journal
    assert len(await journal.claim_due(limit=10, lease_seconds=60)) == 1  # then it dies
    survivor = DeliveryWorker(journal=journal, outbox=bot.app.outbox)
    assert await survivor.run_once() == 0, "leased by the dead worker"
    execute(bot, update(NotificationRow).values(lease_until=utc_now() - timedelta(seconds=1)))
    assert await survivor.run_once() == 1
    assert await survivor.run_once() == 0
    assert len(bot.told()[CHANNEL]) == 1


async def test_two_workers_never_send_the_same_row(bot: Bot) -> None:
    bot.notifications.worker = Paused()  # type: ignore[assignment]
    data = issue_payload("opened", number=2, body="***Ask Reference:*** #1", labels=("Data",))
    await bot.post("issues", data)
    journal = bot.notifications.journal
    one = DeliveryWorker(journal=journal, outbox=bot.app.outbox)
    two = DeliveryWorker(journal=journal, outbox=bot.app.outbox)
    counts = await asyncio.gather(one.run_once(), two.run_once(), one.run_once())
    assert sum(counts) == 2
    assert sum(len(says) for says in bot.told().values()) == 2


async def test_rate_limits_are_retried_after_the_platforms_wait(bot: Bot) -> None:
    bot.slack.failures.append(rate_limited(30))
    await bot.post("issues", OPENED)
    assert bot.told() == {}
    worker = bot.notifications.worker
    assert await worker.run_once() == 0, "not due before Retry-After"
    with bot.app.database.engine.connect() as connection:
        row = connection.execute(
            select(col(NotificationRow.next_attempt_at), col(NotificationRow.attempts))
        ).one()
    waited = row[0].replace(tzinfo=UTC) - utc_now()
    assert timedelta(seconds=28) < waited <= timedelta(seconds=30) and row[1] == 1
    execute(bot, update(NotificationRow).values(next_attempt_at=utc_now() - timedelta(seconds=1)))
    assert await worker.run_once() == 1
    assert len(bot.told()[CHANNEL]) == 1
    assert await bot.notifications.journal.counts() == {"sent": 1}


async def test_transient_errors_back_off_and_give_up_after_the_last_attempt(bot: Bot) -> None:
    bot.slack.failures.extend([RuntimeError("boom"), DeliveryError("503")])
    bot.notifications.worker = DeliveryWorker(
        journal=bot.notifications.journal,
        outbox=bot.app.outbox,
        backoff=Backoff(base=0.0, cap=0.0, max_attempts=2),
    )
    await bot.post("issues", OPENED)  # no backoff: the kicked run tries again at once
    assert await bot.notifications.journal.counts() == {"failed": 1}
    assert bot.told() == {}


async def test_permanent_failures_are_not_retried(bot: Bot) -> None:
    bot.slack.failures.append(gone())
    await bot.post("issues", OPENED)
    assert await bot.notifications.journal.counts() == {"failed": 1}


def test_backoff_doubles_up_to_its_cap_and_honours_retry_after() -> None:
    backoff = Backoff(base=2, cap=60)
    assert [backoff.delay(n, None) for n in (0, 3, 10)] == [2, 16, 60]
    assert backoff.delay(0, 120) == 120


async def test_places_of_a_platform_without_a_sender_are_marked_failed(bot: Bot) -> None:
    console = Place("console", "terminal", "local")
    await bot.app.asks.record(ask=replace(filed_ask(), issue_number=40, origin=console))
    explore = issue_payload(
        "opened", number=4, body="***Ask Reference:*** #40", labels=("Explore",)
    )
    await bot.post("issues", explore)
    assert await bot.notifications.journal.counts() == {"failed": 1}
    assert bot.told() == {}


class Paused:
    """Stands in for the delivery worker: events are recorded, nothing is sent."""

    async def kick(self) -> None:
        return None

    async def drain(self) -> None:
        return None


async def until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition never met")


def execute(bot: Bot, statement: Any) -> None:
    with bot.app.database.engine.begin() as connection:
        connection.execute(statement)


async def test_the_webhook_is_off_without_a_secret(tmp_path: Path, fake_github: FakeGitHub) -> None:
    from adapters.composition import build
    from adapters.github.webhook import OFF_NO_SECRET, webhook_mount
    from adapters.notify_mount import notifications_mount
    from tests.support.apps import app_settings

    app = build(app_settings(tmp_path, fake_github.api_url, dslp_github_poll_seconds=30))
    assert webhook_mount(app) == OFF_NO_SECRET
    mount = notifications_mount(app)
    assert not isinstance(mount, str) and len(mount.on_startup) == 3, "sweep, poller, inbox"
    app.database.dispose()
