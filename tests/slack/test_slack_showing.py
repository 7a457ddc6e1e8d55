"""Having a home is not permission to show: `status` of someone else's Ask across two
repositories of two organisations (octo/dslp public, acme/models private) and two Slack
workspaces, through the real server with signed requests.

In a channel a private repository's Asks appear only where a person with write access
subscribed (and confirmed) it; in a DM the person's own verified read access decides.
Ana is verified in both workspaces (ana-gh in T0TEST, ana-b-gh in TBBB) and reads
acme/models; Ben is not signed in; Cleo is signed in but GitHub gives her nothing there.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.slack.places import channel_place
from bot.types import FiledAsk
from tests.fakes.slack_api import TEAM
from tests.slack.conftest import ANA, BEN, CHANNEL, SlackHarness, as_text
from tests.slack.test_slack_tenancy import say
from tests.support.identities import grant

pytestmark = pytest.mark.slow
PRIVATE, PUBLIC = "acme/models", "octo/dslp"
TB = "TBBB"
CLEO, RITA = "UCLEO", "URITA"


@pytest.fixture
def slack_overrides() -> dict[str, Any]:
    return {"dslp_repositories": PRIVATE}


async def filed(slack: SlackHarness, repository: str, number: int, title: str, team: str) -> None:
    """Rita's Ask, filed from a channel of `team` (recorded as the bot records a filed Ask)."""
    url = f"https://github.com/{repository}/issues/{number}"
    await slack.app.asks.record(
        ask=FiledAsk(
            issue_number=number,
            issue_url=url,
            title=title,
            requester=f"slack:{team}:{RITA}",
            requester_name="rita",
            origin=channel_place(channel="CASKS", team=team, owner=RITA),
            draft_id=f"draft-{team}-{repository}-{number}",
            repository=repository,
        )
    )


@pytest.fixture(autouse=True)
async def world(slack: SlackHarness) -> None:
    github = slack.github
    github.add_repo(PRIVATE).private = True
    await grant(slack.app, github, f"slack:{TB}:{ANA}", "ana-b-gh", "maintain")
    await grant(slack.app, github, f"slack:{TEAM}:{CLEO}", "cleo-gh", "read")
    for login in ("ana-gh", "ana-b-gh"):
        github.collaborator(login, "read", PRIVATE)
    await filed(slack, PRIVATE, 1, "Secret forecast", TEAM)
    await filed(slack, PUBLIC, 1, "Public churn", TEAM)
    await filed(slack, PRIVATE, 2, "Other workspace forecast", TB)


async def dm(slack: SlackHarness, text: str, *, user: str = ANA) -> str:
    before = len(slack.fake.delivered("chat.postMessage"))
    assert (await slack.dm(text, user=user)).status == 200
    await slack.settle()
    posts = await slack.fake.wait_for("chat.postMessage", before + 1)
    return as_text(posts[before:])


async def test_a_private_repository_is_not_shown_in_a_channel_nobody_subscribed_to_it(
    slack: SlackHarness,
) -> None:
    refused = await say(slack, TEAM, f"status {PRIVATE}#1", channel=CHANNEL)
    assert "Secret forecast" not in refused
    assert "not shown in this channel" in refused and f"subscribe {PRIVATE}" in refused
    shown = await say(slack, TEAM, f"status {PUBLIC}#1", channel=CHANNEL)
    assert "Public churn" in shown
    await slack.settle()


async def test_a_confirmed_subscription_shows_it_in_that_channel_of_that_workspace_only(
    slack: SlackHarness,
) -> None:
    slack.github.collaborator("ana-gh", "write", PRIVATE)
    asked = await say(slack, TEAM, f"subscribe {PRIVATE}", channel=CHANNEL)
    assert "confirm" in asked
    assert "Secret forecast" not in await say(slack, TEAM, f"status {PRIVATE}#1", channel=CHANNEL)
    assert "now receives" in await say(slack, TEAM, f"subscribe {PRIVATE} confirm", channel=CHANNEL)
    assert "Secret forecast" in await say(slack, TEAM, f"status {PRIVATE}#1", channel=CHANNEL)
    elsewhere = await say(slack, TEAM, f"status {PRIVATE}#1", channel="CELSE")
    assert "Secret forecast" not in elsewhere and "not shown" in elsewhere
    # The same channel id in the other workspace is another channel, never subscribed.
    other = await say(slack, TB, f"status {PRIVATE}#2", channel=CHANNEL)
    assert "Other workspace forecast" not in other and "not shown" in other
    await slack.settle()


async def test_in_a_dm_the_persons_own_read_access_decides(slack: SlackHarness) -> None:
    assert "Secret forecast" in await dm(slack, f"status {PRIVATE}#1")
    unsigned = await dm(slack, f"status {PRIVATE}#1", user=BEN)
    assert "Secret forecast" not in unsigned and "know your GitHub login" in unsigned
    none = await dm(slack, f"status {PRIVATE}#1", user=CLEO)
    assert "Secret forecast" not in none and f"needs read access to {PRIVATE}" in none
    assert "Public churn" in await dm(slack, f"status {PUBLIC}#1", user=CLEO)


async def test_a_slash_command_in_a_dm_follows_the_persons_own_read_access(
    slack: SlackHarness,
) -> None:
    """`/dslp` typed in a 1:1 DM (`D…`, `directmessage`) is answered to that person only."""
    in_dm = {"channel": "DANA1", "channel_name": "directmessage"}
    assert "Secret forecast" in await say(slack, TEAM, f"status {PRIVATE}#1", **in_dm)
    unsigned = await say(slack, TEAM, f"status {PRIVATE}#1", user=BEN, **in_dm)
    assert "Secret forecast" not in unsigned and "know your GitHub login" in unsigned
    none = await say(slack, TEAM, f"status {PRIVATE}#1", user=CLEO, **in_dm)
    assert "Secret forecast" not in none and f"needs read access to {PRIVATE}" in none
    assert all(r.get("response_type") == "ephemeral" for r in slack.fake.responses)
    await slack.settle()


async def test_a_slash_command_in_a_group_dm_keeps_the_rules_of_a_channel(
    slack: SlackHarness,
) -> None:
    """A group DM holds other people: Ana's own access does not open it to them."""
    for channel, name in (("GMPIM1", "mpdm-ana--ben--cleo-1"), ("CMPIM2", "privategroup")):
        shown = await say(slack, TEAM, f"status {PRIVATE}#1", channel=channel, channel_name=name)
        assert "Secret forecast" not in shown and "not shown in this channel" in shown
    await slack.settle()


async def test_the_requester_sees_their_own_ask_in_any_channel(slack: SlackHarness) -> None:
    own = await say(slack, TEAM, f"status {PRIVATE}#1", channel="CELSE", user=RITA)
    assert "Secret forecast" in own
    await slack.settle()


def stalled(slack: SlackHarness, repository: str, title: str) -> int:
    """An Experiment of `repository` opened six weeks ago that nobody touched since."""
    body = "***Ask Reference:*** #1\n## Results\n***TLDR:*** \n"
    issue = slack.github.add_issue(
        repository=repository, title=title, body=body, labels=["Experiment"]
    )
    issue.created_at = issue.updated_at = datetime.now(UTC) - timedelta(days=42)
    return issue.number


async def everything(slack: SlackHarness, text: str, *, channel: str = CHANNEL) -> str:
    """Every answer to a `/dslp` in that channel of T0TEST (a digest is one per repository)."""
    before = len(slack.fake.responses)
    await say(slack, TEAM, text, channel=channel)
    await slack.settle()
    return as_text(slack.fake.responses[before:])


async def test_a_channel_following_two_repositories_gets_a_digest_for_each(
    slack: SlackHarness,
) -> None:
    slack.github.collaborator("ana-gh", "write", PRIVATE)
    public, private = stalled(slack, PUBLIC, "Public GBM"), stalled(slack, PRIVATE, "Private ARIMA")
    await say(slack, TEAM, "subscribe", channel=CHANNEL)
    await say(slack, TEAM, f"subscribe {PRIVATE} confirm", channel=CHANNEL)
    digest = await everything(slack, "digest now")
    first, second = f"Stalled work in {PUBLIC}", f"Stalled work in {PRIVATE}"
    assert first in digest and second in digest and digest.index(first) < digest.index(second)
    assert "Public GBM" in digest and "Private ARIMA" in digest
    assert f"experiment {PRIVATE}#{private} on-hold" in digest
    assert f"digest snooze {PUBLIC}#{public}" in digest


async def test_a_private_home_chosen_with_use_is_not_a_subscription_for_the_digest(
    slack: SlackHarness,
) -> None:
    slack.github.collaborator("ana-gh", "write", PRIVATE)
    stalled(slack, PRIVATE, "Private ARIMA")
    assert "now uses" in await say(slack, TEAM, f"use {PRIVATE}", channel="CELSE")
    digest = await everything(slack, "digest now", channel="CELSE")
    assert "Private ARIMA" not in digest and "may be shown in this channel" in digest
    assert "Private ARIMA" not in await dm(slack, "digest now")  # a DM: the default one


async def test_digest_buttons_act_in_the_repository_they_name_wherever_pressed(
    slack: SlackHarness,
) -> None:
    """#1 of each repository is stalled; a button names acme/models#1, pressed in a DM
    and in a channel whose home is octo/dslp, and changes only acme/models#1."""
    github = slack.github
    public, private = stalled(slack, PUBLIC, "Public GBM"), stalled(slack, PRIVATE, "Private ARIMA")
    assert public == private
    hold = f"experiment {PRIVATE}#{private} on-hold paused from the digest"
    await slack.press({"action_id": "dslp_choice_0", "value": hold}, channel=f"D{ANA}")
    await slack.settle()  # Ana maintains octo/dslp, the DM's home, but only reads acme/models
    refused = as_text(slack.fake.delivered("chat.postMessage")[-1])
    assert f"needs write access to {PRIVATE}" in refused
    assert github.repo(PRIVATE).issues[private].labels == ["Experiment"]
    github.collaborator("ana-gh", "write", PRIVATE)
    later = datetime.now(UTC) + timedelta(minutes=6)  # GitHub's answer is remembered for five
    slack.app.permissions.clock = lambda: later
    await slack.press({"action_id": "dslp_choice_0", "value": hold}, channel=f"D{ANA}")
    await slack.settle()
    assert github.repo(PRIVATE).issues[private].labels == ["Experiment", "on hold"]
    assert github.repo(PUBLIC).issues[public].labels == ["Experiment"]

    await say(slack, TEAM, "subscribe", channel=CHANNEL)
    await say(slack, TEAM, f"subscribe {PRIVATE} confirm", channel=CHANNEL)
    snooze = f"digest snooze {PRIVATE}#{private}"
    await slack.press({"action_id": "dslp_choice_0", "value": snooze}, channel=CHANNEL)
    await slack.settle()
    digest = await everything(slack, "digest now")
    assert "Public GBM" in digest and "Private ARIMA" not in digest
