"""Slack: `/dslp stats` shows the numbers to the channel and shares the chart into it
through the external upload flow (files.getUploadURLExternal, upload, completeUploadExternal)."""

from __future__ import annotations

import asyncio

import pytest

from tests.fakes.github_api import FakeGitHub
from tests.fakes.slack_api import FakeSlack
from tests.insights.conftest import load_history
from tests.slack.conftest import ANA, CHANNEL, GOOD, SlackHarness, as_text, file_form

pytestmark = pytest.mark.slow
PNG = b"\x89PNG\r\n\x1a\n"
CHART_SECONDS = 30.0
"""The first chart imports matplotlib (and may build its font cache): generous on a busy machine;
the waits end as soon as the answer is there."""


async def refused(fake_slack: FakeSlack, method: str, timeout: float = CHART_SECONDS) -> str:
    """The error Slack answered the first call to `method` with (made after the answer)."""
    for _ in range(int(timeout / 0.05)):
        calls = [c for c in fake_slack.calls if c.method == method and "_ok" in c.params]
        if calls:
            return str(calls[0].params["_error"])
        await asyncio.sleep(0.05)
    return "never called"


async def test_stats_posts_numbers_in_channel_and_uploads_the_chart(
    slack: SlackHarness, fake_slack: FakeSlack, fake_github: FakeGitHub
) -> None:
    load_history(fake_github)
    await slack.app.insights.backfill.run("octo/dslp")
    assert (await slack.command("stats all")).status == 200
    [answer] = await fake_slack.wait_for_response(timeout=CHART_SECONDS)
    assert answer["response_type"] == "in_channel"
    assert "Success rate:* 67 %" in as_text(answer)
    assert await fake_slack.wait_for("files.completeUploadExternal", 1, timeout=CHART_SECONDS)
    [upload] = fake_slack.uploads.values()
    assert upload.channel == CHANNEL and upload.filename == "dslp-insights-octo-dslp-all.png"
    assert upload.data.startswith(PNG) and "octo/dslp" in upload.alt_txt


async def test_a_chart_the_bot_cannot_share_still_leaves_the_numbers(
    slack: SlackHarness, fake_slack: FakeSlack, fake_github: FakeGitHub
) -> None:
    load_history(fake_github)
    await slack.app.insights.backfill.run("octo/dslp")
    fake_slack.unreachable[CHANNEL] = "not_in_channel"
    await slack.command("stats 90d")
    [answer] = await fake_slack.wait_for_response(timeout=CHART_SECONDS)
    assert "Iteration speed" in as_text(answer)
    assert await refused(fake_slack, "files.completeUploadExternal") == "not_in_channel"
    assert [u.channel for u in fake_slack.uploads.values()] == [""]


async def test_other_commands_stay_ephemeral(slack: SlackHarness, fake_slack: FakeSlack) -> None:
    await slack.command("stats fortnight")
    [answer] = await fake_slack.wait_for_response(timeout=CHART_SECONDS)
    assert answer["response_type"] == "ephemeral"
    assert not fake_slack.to("files.getUploadURLExternal")


async def test_the_home_tab_shows_the_last_90_days_of_the_persons_repositories(
    slack: SlackHarness, fake_slack: FakeSlack, fake_github: FakeGitHub
) -> None:
    await file_form(slack, GOOD)
    await slack.settle()
    load_history(fake_github)
    await slack.app.insights.backfill.run("octo/dslp")
    await slack.event({"type": "app_home_opened", "user": ANA, "channel": f"D{ANA}", "tab": "home"})
    [published] = await fake_slack.wait_for("views.publish")
    text = as_text(published["view"])
    assert "DSLP insights for octo/dslp, the last 90 days" in text
    assert len(published["view"]["blocks"]) <= 100
