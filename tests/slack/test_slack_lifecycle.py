"""Who is who from Slack, and the lifecycle reaching Slack: signed commands in, FakeSlack out.

`/dslp role add ml-engineer <@UBOB|bob> <!subteam^SML|@ml>` in a subscribed
channel, then GitHub says an experiment succeeded (a signed webhook): the
ML engineers hear it in that channel as real Slack mentions, the requester
in the Ask's own thread, and the Ask's phase moves on in `status` and Home.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from adapters.app import App
from adapters.slack.payloads import text_of
from adapters.slack.places import channel_place
from bot.mentions import mention
from bot.types import FiledAsk, Scope
from tests.fakes.slack_api import TEAM
from tests.slack.conftest import ANA, CHANNEL, SlackHarness, as_text
from tests.support.webhooks import issue_payload, signed

pytestmark = pytest.mark.slow
SECRET = "webhook-secret"
REQUESTER = "UREQ"
ASK_THREAD = channel_place(channel="CASKS", team=TEAM, thread="1700000000.000100", owner=REQUESTER)
SUCCEEDED_BODY = (
    "***Ask Reference:*** #1\n## Results\n***TLDR:*** GBM beats the baseline by 4 points.\n"
)


@pytest.fixture
def slack_overrides() -> dict[str, Any]:
    return {"github_webhook_secret": SecretStr(SECRET)}


async def record_ask(app: App) -> None:
    await app.asks.record(
        ask=FiledAsk(
            issue_number=1,
            issue_url="https://github.com/octo/dslp/issues/1",
            title="Predict churn",
            requester=f"slack:{TEAM}:{REQUESTER}",
            requester_name="rita",
            origin=ASK_THREAD,
            draft_id="draft-1",
            repository="octo/dslp",
        )
    )


async def webhook(slack: SlackHarness, app: App, event: str, payload: Any) -> None:
    body, headers = signed(event, payload, SECRET)
    url = slack.url.replace("/slack/events", "/github/webhook")
    async with slack.session.post(url, data=body, headers=headers) as response:
        assert response.status in (200, 202), await response.text()
    await app.notifications.ingest.drain()
    await app.notifications.worker.drain()


async def command(slack: SlackHarness, text: str, count: int) -> str:
    answer = await slack.command(text)
    assert answer.status == 200
    responses = await slack.fake.wait_for_response(count)
    assert len(responses) >= count, f"no answer to {text!r}"
    return as_text(responses[count - 1])


async def test_role_add_with_slack_mentions_then_a_succeeded_experiment_pings_them(
    slack: SlackHarness,
) -> None:
    await record_ask(slack.app)
    assert "octo/dslp" in await command(slack, "subscribe", 1)
    said = await command(slack, "role add ml-engineer <@UBOB|bob> <!subteam^SML|@ml>", 2)
    assert "<@UBOB>" in said and "<!subteam^SML>" in said
    people = slack.app.notifications.people
    roles = await people.roles(scope=Scope("slack", TEAM), repository="octo/dslp")
    assert roles["ml-engineer"] == (f"slack:{TEAM}:UBOB", f"slack:{TEAM}:group:SML")

    payload = issue_payload(
        "labeled",
        number=4,
        body=SUCCEEDED_BODY,
        labels=("Experiment", "Succeeded"),
        label="Succeeded",
    )
    await webhook(slack, slack.app, "issues", payload)
    posts = await slack.fake.wait_for("chat.postMessage", 2)
    by_channel = {p["channel"]: p for p in posts}
    assert set(by_channel) == {CHANNEL, "CASKS"}
    in_channel = as_text(by_channel[CHANNEL])
    assert "<@UBOB>" in in_channel and "<!subteam^SML>" in in_channel
    thread = by_channel["CASKS"]
    assert thread["thread_ts"] == "1700000000.000100"
    assert f"<@{REQUESTER}>" in as_text(thread) and "GBM beats the baseline" in as_text(thread)
    assert '"value": "model octo/dslp#4"' in as_text(thread["blocks"])


async def test_the_phase_the_lifecycle_moved_shows_in_status_and_on_home(
    slack: SlackHarness,
) -> None:
    await record_ask(slack.app)
    opened = issue_payload(
        "opened", number=3, body="***Ask Reference:*** #1\n", labels=("Experiment",)
    )
    await webhook(slack, slack.app, "issues", opened)
    filed = await slack.app.asks.by_number(repository="octo/dslp", number=1)
    assert filed is not None and filed.phase == "Experiment"
    one = await command(slack, "status #1", 1)
    assert "Phase: Experiment" in one
    answer = await slack.command("status", user=REQUESTER)
    assert answer.status == 200
    mine = as_text((await slack.fake.wait_for_response(2))[1])
    assert "#1 Predict churn (phase: Experiment)" in mine
    await slack.event({"type": "app_home_opened", "user": REQUESTER, "tab": "home"})
    await slack.settle()
    home = await slack.fake.wait_for("views.publish")
    assert "phase: *Experiment*" in as_text(home[0]["view"])


async def test_the_bots_own_mention_is_dropped_and_links_read_as_typed_in_a_dm(
    slack: SlackHarness,
) -> None:
    await slack.dm("<@UBOT> role add data-engineer <@UDE|dee>")
    await slack.settle()
    posts = await slack.fake.wait_for("chat.postMessage")
    assert "<@UDE>" in as_text(posts[0]) and "UBOT" not in as_text(posts[0])
    roles = await slack.app.notifications.people.roles(
        scope=Scope("slack", TEAM), repository="octo/dslp"
    )
    assert roles == {"data-engineer": (f"slack:{TEAM}:UDE",)}


async def test_links_and_channels_reach_the_core_as_typed() -> None:
    typed = "data 12 from <https://example.com/a?b=1&amp;c=2|example.com/a> in <#C1|general>"
    assert text_of(typed, TEAM) == "data 12 from https://example.com/a?b=1&c=2 in #general"
    assert text_of("<mailto:a@b.io|a@b.io> <!date^1^{date}|Feb 1> &lt;x&gt;", TEAM) == (
        "a@b.io Feb 1 <x>"
    )
    assert text_of("<@UBOT> hi <@UANA>", TEAM, bot_user="UBOT") == (
        f" hi {mention(f'slack:{TEAM}:{ANA}')}"
    )
