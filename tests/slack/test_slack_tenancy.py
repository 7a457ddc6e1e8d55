"""Two Slack workspaces (and an Enterprise Grid org) on one app never mix, through the real
server with signed requests: roles, links, subscriptions, digest settings, snoozes and
`status` of one are neither seen nor changed from the other, and a GitHub event mentions
people only in channels of the workspace their login was verified in.

Ana is a verified maintainer in each workspace (a login per workspace), as GitHub now
decides who may change roles, subscriptions and digests (see test_slack_permissions.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from pydantic import SecretStr

from adapters.slack.places import channel_place
from bot.digest.model import Reason
from bot.types import FiledAsk, Member
from tests.slack.conftest import ANA, SlackHarness, SlackSender, as_text
from tests.slack.test_slack_lifecycle import SECRET, webhook
from tests.support.identities import grant
from tests.support.webhooks import issue_payload

pytestmark = pytest.mark.slow
TA, TB = "TAAA", "TBBB"
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
ADA = "UADA"
"""An admin of workspace TA (DSLP_ADMINS), who vouches for people's logins there."""


@pytest.fixture
def slack_overrides() -> dict[str, Any]:
    return {"github_webhook_secret": SecretStr(SECRET), "dslp_admins": f"slack:{TA}:{ADA}"}


@pytest.fixture(autouse=True)
async def maintainers(slack: SlackHarness) -> None:
    """Ana maintains octo/dslp in TA, TB and the Grid org E1, with a verified login in each."""
    for member, login in (
        (f"slack:{TA}:{ANA}", "ana-a-gh"),
        (f"slack:{TB}:{ANA}", "ana-b-gh"),
        (Member("slack:E1", f"slack:T1:{ANA}"), "ana-e-gh"),
    ):
        await grant(slack.app, slack.github, member, login, "maintain")


async def say(
    slack: SlackSender,
    team: str,
    text: str,
    *,
    channel: str = "CSHARED",
    enterprise: str = "",
    user: str = ANA,
    channel_name: str = "data",
) -> str:
    """A signed `/dslp` from that workspace (and Grid org); the answer sent to its response_url."""
    before = len(slack.fake.responses)
    form = {
        "team_id": team,
        "enterprise_id": enterprise,
        "channel_id": channel,
        "channel_name": channel_name,
        "user_id": user,
        "user_name": user.casefold(),
        "command": "/dslp",
        "text": text,
        "response_url": slack.fake.response_url(f"{team}-{before}"),
        "trigger_id": "trigger",
    }
    answer = await slack.post(urlencode(form), "application/x-www-form-urlencoded")
    assert answer.status == 200
    responses = await slack.fake.wait_for_response(before + 1)
    assert len(responses) > before, f"no answer to {text!r}"
    return as_text(responses[before])


async def test_roles_of_one_workspace_are_invisible_and_untouchable_from_another(
    slack: SlackHarness,
) -> None:
    assert "has the role `it`" in await say(slack, TA, "role add it <@UANA|ana>")
    assert "No roles" in await say(slack, TB, "role list")
    assert "Nobody of those" in await say(slack, TB, "role remove it <@UANA|ana>")
    assert "another workspace" in await say(slack, TB, f"role remove it slack:{TA}:UANA")
    refused = await say(slack, TB, f"role add it slack:{TA}:UANA")
    assert "another workspace" in refused
    assert "UANA" in await say(slack, TA, "role list")
    await slack.settle()


async def test_an_enterprise_grid_org_is_one_scope_across_its_workspaces(
    slack: SlackHarness,
) -> None:
    assert "has the role" in await say(slack, "T1", "role add it <@UANA|ana>", enterprise="E1")
    assert "UANA" in await say(slack, "T2", "role list", enterprise="E1")
    assert "No roles" in await say(slack, "T1", "role list")  # the same team outside the org
    await slack.settle()


async def test_channel_settings_are_per_workspace_for_the_same_channel_id(
    slack: SlackHarness,
) -> None:
    assert "now receives" in await say(slack, TA, "subscribe")
    assert "was not subscribed" in await say(slack, TB, "unsubscribe")
    assert "post the digest here" in await say(slack, TA, "digest daily 09:00 UTC")
    assert "has no digest" in await say(slack, TB, "digest off")
    assert "No scheduled digest here" in await say(slack, TB, "digest settings")
    assert "has no digest" in await say(slack, TB, "digest threshold inactive 3")
    await say(slack, TB, "digest snooze #4")
    snoozes = slack.app.digest.snoozes
    assert await snoozes.active(key=f"slack:{TA}:CSHARED", now=LONG_AGO) == []
    assert len(await snoozes.active(key=f"slack:{TB}:CSHARED", now=LONG_AGO)) == 1
    subscription = await slack.app.digest.subscriptions.get(key=f"slack:{TA}:CSHARED")
    assert subscription is not None and subscription.thresholds.of(Reason.INACTIVE) == 7
    assert await slack.app.digest.subscriptions.get(key=f"slack:{TB}:CSHARED") is None
    await slack.settle()


async def test_status_shows_an_ask_only_in_the_workspace_it_was_filed_from(
    slack: SlackHarness,
) -> None:
    await slack.app.asks.record(
        ask=FiledAsk(
            issue_number=1,
            issue_url="https://github.com/octo/dslp/issues/1",
            title="Secret churn plan",
            requester=f"slack:{TA}:UREQ",
            requester_name="rita",
            origin=channel_place(channel="CASKS", team=TA, owner="UREQ"),
            draft_id="draft-1",
            repository="octo/dslp",
        )
    )
    assert "Secret churn plan" in await say(slack, TA, "status #1")
    other = await say(slack, TB, "status #1")
    assert "Secret churn plan" not in other and "I know no Ask #1" in other
    assert "Secret churn plan" not in await say(slack, TB, "status")
    await slack.settle()


async def test_a_login_linked_in_one_workspace_is_never_a_mention_in_another(
    slack: SlackHarness,
) -> None:
    vouch = "link github <@UCLEO|cleo> cleo-gh"
    stranger = f"link github slack:{TB}:UCLEO cleo-gh"
    assert "another workspace" in await say(slack, TA, stranger, user=ADA)
    assert "is GitHub @cleo-gh" in await say(slack, TA, vouch, user=ADA)
    assert "Only the bot's admins" in await say(slack, TB, vouch)
    assert "not set up here" in await say(slack, TB, "link github cleo-gh", user="UCLEO")
    await say(slack, TA, "subscribe", channel="CAAA")
    await say(slack, TB, "subscribe", channel="CBBB")
    await say(slack, TB, "role add data-engineer <@UBEN|ben>", channel="CBBB")
    await slack.settle()
    payload = issue_payload(
        "labeled",
        number=4,
        labels=("Data", "blocked - need access"),
        label="blocked - need access",
        assignees=("cleo-gh",),
        body="***Ask Reference:*** #1\n",
    )
    await webhook(slack, slack.app, "issues", payload)
    posts = await slack.fake.wait_for("chat.postMessage", 2)
    by_channel = {post["channel"]: as_text(post) for post in posts}
    assert "<@UCLEO>" in by_channel["CAAA"] and "UBEN" not in by_channel["CAAA"]
    assert "<@UBEN>" in by_channel["CBBB"] and "UCLEO" not in by_channel["CBBB"]
