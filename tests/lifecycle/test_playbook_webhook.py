"""Issues opened by hand that name an Ask become its sub-issues when their webhook arrives."""

from __future__ import annotations

from pathlib import Path

from tests.fakes.github_api import FakeGitHub
from tests.lifecycle.conftest import start_bot, stop_bot
from tests.support.webhooks import issue_payload

BODY = "## Description\n\n***Ask Reference:*** #1\n\nSurvival models on tenure."


async def test_a_hand_opened_experiment_becomes_a_sub_issue_once(
    tmp_path: Path, fake_github: FakeGitHub
) -> None:
    bot = await start_bot(tmp_path, fake_github)
    try:
        ask = fake_github.add_issue(title="Predict churn", labels=["Ask"])
        child = fake_github.add_issue(title="Survival", body=BODY, labels=["Experiment"])
        loose = fake_github.add_issue(title="No Ask", body="Nothing here", labels=["Experiment"])
        for number, body, delivery in ((child.number, BODY, "d-1"), (loose.number, "", "d-2")):
            payload = issue_payload(
                "opened", number=number, title="x", body=body, labels=("Experiment",)
            )
            assert (await bot.post("issues", payload, delivery=delivery))[0] == 202
        labelled = issue_payload(
            "labeled", number=child.number, body=BODY, labels=("Experiment",), label="Experiment"
        )
        await bot.post("issues", labelled, delivery="d-3")  # races the opened one: no change

        assert [issue.number for issue in fake_github.sub_issues(ask.number)] == [child.number]
        assert fake_github.count("POST", r"/repos/octo/dslp/issues/\d+/sub_issues") == 1
        assert len(child.comments) == 1
        assert child.comments[0].body == (
            f"Added as a sub-issue of Ask #{ask.number}, when it was opened in GitHub."
        )
        assert not loose.comments
    finally:
        await stop_bot(bot)


async def test_ghes_without_sub_issues_is_quiet_on_the_webhook_path(
    tmp_path: Path, fake_github: FakeGitHub
) -> None:
    fake_github.structure.sub_issues = False
    bot = await start_bot(tmp_path, fake_github)
    try:
        fake_github.add_issue(title="Predict churn", labels=["Ask"])
        child = fake_github.add_issue(title="Survival", body=BODY, labels=["Experiment"])
        payload = issue_payload("opened", number=child.number, body=BODY, labels=("Experiment",))
        assert (await bot.post("issues", payload, delivery="d-1"))[0] == 202
        assert not child.comments
        assert await bot.notifications.inbox.counts() == {"received": 1, "waiting": 0}
    finally:
        await stop_bot(bot)
