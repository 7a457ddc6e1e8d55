"""The poller: conditional requests (304s cost nothing), the same pipeline, nothing twice."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from adapters.github.poller import IssuePoller, ServedPoller
from adapters.github.served import ServedTrackers
from adapters.github.tracker import GitHubTracker
from bot.types import Place
from storage.events import SqlPollCursors
from tests.fakes.github_api import FakeGitHub
from tests.lifecycle.conftest import (
    ASK_THREAD,
    CHANNEL,
    ML_GROUP,
    Bot,
    filed_ask,
    mentioned,
    set_up_team,
    start_bot,
    stop_bot,
)

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


async def test_every_served_repository_is_polled_with_its_own_cursors(
    tmp_path: Path, fake_github: FakeGitHub
) -> None:
    """DSLP_REPOSITORIES besides GITHUB_REPOSITORY: an Experiment opened against an Ask of
    either repository is told in that Ask's thread; each repository's first look is quiet, and
    one GitHub answers 404 for (acme/gone) holds up none of the others."""
    fake_github.add_repo("acme/models")
    bot = await start_bot(tmp_path, fake_github, dslp_repositories="acme/gone,acme/models")
    try:
        await set_up_team(bot)
        models_thread = Place("slack", "C-MODELS", ASK_THREAD.team_id, "1700000000.000200")
        await bot.app.asks.record(
            ask=replace(
                filed_ask(),
                issue_url="https://github.com/acme/models/issues/1",
                title="Forecast demand",
                origin=models_thread,
                draft_id="draft-models-1",
                repository="acme/models",
            )
        )
        fake_github.add_issue(title="Predict churn", labels=["Ask"])
        fake_github.add_issue(repository="acme/models", title="Forecast demand", labels=["Ask"])
        served = ServedTrackers(repositories=bot.app.repositories, trackers=bot.app.trackers)
        poller = ServedPoller(
            served=served,
            inbox=bot.notifications.inbox,
            cursors=SqlPollCursors(bot.app.database),
            worker=bot.notifications.ingest,
        )
        assert await poller.run_once() == 0, "the first round only notes where things stand"

        fake_github.add_issue(
            repository="acme/models", title="ARIMA", body=REF, labels=["Experiment"]
        )
        assert await poller.run_once() == 1
        await bot.settle()
        assert "Work has started: Experiment #2" in bot.told()[models_thread][0].text
        assert ASK_THREAD not in bot.told()

        fake_github.add_issue(title="GBM", body=REF, labels=["Experiment"])
        assert await poller.run_once() == 1
        await bot.settle()
        assert "Work has started: Experiment #2" in bot.told()[ASK_THREAD][0].text
        assert len(bot.told()[models_thread]) == 1
        assert fake_github.count("GET", "/repos/acme/gone/issues/events") == 3, "asked each round"
    finally:
        await stop_bot(bot)
