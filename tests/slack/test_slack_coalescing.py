"""A burst of notifications for one channel arrives as one summary; a quiet channel hears each.

Through the real server: `/dslp subscribe` and `/dslp role add` as signed Slack
commands, then signed GitHub webhooks (a bulk change opening many Asks at
once), and FakeSlack counts the messages the channel received.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlmodel import col

from adapters.app import App
from storage.lifecycle_tables import NotificationRow
from tests.slack.conftest import CHANNEL, SlackHarness, as_text
from tests.slack.test_slack_lifecycle import SECRET, command
from tests.support.webhooks import issue_payload, signed

pytestmark = pytest.mark.slow


@pytest.fixture
def slack_overrides() -> dict[str, Any]:
    return {"github_webhook_secret": SecretStr(SECRET)}


async def set_up(slack: SlackHarness) -> None:
    assert "octo/dslp" in await command(slack, "subscribe", 1)
    await command(slack, "role add data-scientist <@UDS|dana>", 2)


async def burst(slack: SlackHarness, numbers: range) -> None:
    """Asks opened by one person in a bulk change: accepted first, then worked and sent."""
    app: App = slack.app
    await app.notifications.ingest.stop()
    url = slack.url.replace("/slack/events", "/github/webhook")
    for number in numbers:
        payload = issue_payload("opened", number=number, title=f"Ask {number}", labels=("Ask",))
        body, headers = signed("issues", payload, SECRET, delivery=f"d-{number}")
        async with slack.session.post(url, data=body, headers=headers) as response:
            assert response.status == 202
    await app.notifications.ingest.drain()
    await app.notifications.worker.drain()


def posts_to(slack: SlackHarness, channel: str) -> list[dict[str, Any]]:
    return [p for p in slack.fake.to("chat.postMessage") if p["channel"] == channel]


async def test_a_burst_for_one_channel_is_one_summary_that_mentions_each_once(
    slack: SlackHarness,
) -> None:
    await set_up(slack)
    await burst(slack, range(10, 33))
    [posted] = posts_to(slack, CHANNEL)
    text = as_text(posted["blocks"])
    assert "23 new Asks in octo/dslp by @Codertocat." in text
    assert text.count("<@UDS>") == 1, "the data scientists hear it once, not 23 times"
    assert "New Ask #10 “Ask 10”" in text and "New Ask #32 “Ask 32”" in text
    assert "Next DSLP step" not in text, "the list is compact: one line per notification"
    assert await slack.app.notifications.journal.counts() == {"sent": 23}


async def test_the_summary_marks_every_row_it_covers_sent_once(slack: SlackHarness) -> None:
    await set_up(slack)
    await burst(slack, range(10, 25))
    with slack.app.database.engine.connect() as connection:
        refs = connection.execute(select(col(NotificationRow.sent_ref))).scalars().all()
    assert len(refs) == 15 and len(set(refs)) == 1 and refs[0], "all 15 sent as that message"
    assert await slack.app.notifications.worker.drain_due() == 0
    assert len(posts_to(slack, CHANNEL)) == 1


async def test_a_quiet_channel_still_hears_each_notification_at_once(
    slack: SlackHarness,
) -> None:
    await set_up(slack)
    await burst(slack, range(10, 13))
    posted = posts_to(slack, CHANNEL)
    assert len(posted) == 3
    assert all("<@UDS>" in as_text(p) and "Next DSLP step" in as_text(p) for p in posted)
