"""The poller: conditional requests (304s cost nothing), the same pipeline, nothing twice."""

from __future__ import annotations

from adapters.github.poller import IssuePoller
from adapters.github.tracker import GitHubTracker
from storage.events import SqlPollCursors
from tests.fakes.github_api import FakeGitHub
from tests.lifecycle.conftest import ASK_THREAD, CHANNEL, ML_GROUP, Bot, mentioned

REF = "***Ask Reference:*** #1"


def poller(bot: Bot) -> IssuePoller:
    assert isinstance(bot.app.tracker, GitHubTracker)
    return IssuePoller(
        source=bot.app.tracker,
        inbox=bot.notifications.inbox,
        cursors=SqlPollCursors(bot.app.database),
        worker=bot.notifications.ingest,
    )


async def test_polling_feeds_the_pipeline_and_idle_rounds_are_304s(
    bot: Bot, fake_github: FakeGitHub
) -> None:
    fake_github.add_issue(title="Predict churn", labels=["Ask"])
    fake_github.add_issue_event(1, "labeled", label="Ask")
    first = poller(bot)
    assert await first.run_once() == 0, "the first round only notes where things stand"
    budget = fake_github.rate_remaining
    assert await first.run_once() == 0
    assert fake_github.not_modified == 2 and fake_github.rate_remaining == budget

    experiment = fake_github.add_issue(title="GBM", body=REF, labels=["Experiment"])
    assert await first.run_once() == 1
    await bot.settle()
    assert "Work has started: Experiment #2" in bot.told()[ASK_THREAD][0].text

    experiment.labels.append("Succeeded")
    experiment.body = f"{REF}\n***TLDR:*** Recall up 4 points."
    fake_github.add_issue_event(2, "labeled", label="Succeeded")
    fake_github.add_issue_event(2, "assigned")
    assert await first.run_once() == 2
    await bot.settle()
    told = bot.told()
    assert "TLDR: Recall up 4 points." in told[ASK_THREAD][1].text
    assert mentioned(told[CHANNEL][0]) == [ML_GROUP]

    bot.clear()
    idle = fake_github.not_modified
    restarted = poller(bot)
    assert await restarted.run_once() == 0
    await bot.settle()
    assert bot.told() == {}
    assert fake_github.not_modified == idle + 2, "a restart keeps its ETags"


async def test_a_bot_filed_issue_reported_by_both_paths_is_told_once(
    bot: Bot, fake_github: FakeGitHub
) -> None:
    """The bot's own actions come back as events like anyone's: one path, one notice."""
    from tests.support.webhooks import issue_payload

    source = poller(bot)
    await source.run_once()
    fake_github.add_issue(title="GBM", body=REF, labels=["Experiment"])
    await bot.post("issues", issue_payload("opened", number=1, body=REF, labels=("Experiment",)))
    await source.run_once()
    await bot.settle()
    assert len(bot.told()[ASK_THREAD]) == 1
