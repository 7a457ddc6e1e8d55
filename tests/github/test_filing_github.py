"""The Ask flow filing into GitHub over HTTP: real PyGithub, the fake GitHub REST server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.app import App
from adapters.composition import build
from bot.types import Person, Place, Reply, Say, ShowFiled, Stage
from tests.fakes.fixtures import fake_github
from tests.fakes.github_api import FakeGitHub
from tests.support.apps import app_settings
from tests.support.doubles import RecordingOutbox

__all__ = ["fake_github"]

ANA = Person(platform="console", user_id="ana", team_id="local", name="Ana")
HERE = Place(platform="console", channel_id="terminal", team_id="local")
ANSWERS = [
    "Predict which customers will cancel next quarter",
    "Customer success learns about cancellations after they happen, so offers come too late.",
    "As a CSM, I can see risky accounts each Monday so that I call them first instead of last.",
    "preview",
    "submit",
]


@pytest.fixture
async def app(
    tmp_path: Path, fake_github: FakeGitHub
) -> AsyncIterator[tuple[App, RecordingOutbox]]:
    built = build(app_settings(tmp_path, fake_github.api_url))
    outbox = RecordingOutbox()
    built.outbox.register("console", outbox)
    yield built, outbox
    built.database.dispose()


async def say(app: App, *messages: str) -> list[Reply]:
    replies: list[Reply] = []
    for message in messages:
        replies += await app.commands.message(person=ANA, place=HERE, text=message)
        await app.worker.drain()
    return replies


async def test_a_framed_ask_becomes_one_github_issue_labelled_ask(
    app: tuple[App, RecordingOutbox], fake_github: FakeGitHub
) -> None:
    bot, outbox = app
    await say(bot, "ask", *ANSWERS)
    issues = fake_github.issues()
    assert len(issues) == 1
    assert issues[0].labels == ["Ask"]
    assert "## Problem Statement" in (issues[0].body or "")
    filed = [reply for _, reply in outbox.replies if isinstance(reply, ShowFiled)]
    assert filed and filed[0].number == issues[0].number
    assert filed[0].url.endswith(f"/octo/dslp/issues/{issues[0].number}")
    asks = await bot.asks.by_requester(requester=ANA.key)
    assert [ask.issue_number for ask in asks] == [issues[0].number]


async def test_github_refusing_keeps_the_draft_and_a_retry_files_once(
    app: tuple[App, RecordingOutbox], fake_github: FakeGitHub
) -> None:
    bot, outbox = app
    fake_github.fail_next("POST", r"/repos/octo/dslp/issues", 401)
    await say(bot, "ask", *ANSWERS)
    told = [r.text for _, r in outbox.replies if isinstance(r, Say)]
    assert any("could not file" in text and "draft is safe" in text for text in told)
    draft = await bot.commands.conversations.current(ANA)
    assert draft is not None and draft.stage == Stage.REVIEW
    assert draft.answers["title"] == ANSWERS[0]
    await say(bot, "submit")
    assert len(fake_github.issues()) == 1


async def test_a_create_that_github_did_but_answered_502_is_not_repeated(
    app: tuple[App, RecordingOutbox], fake_github: FakeGitHub
) -> None:
    bot, outbox = app
    fake_github.fail_next("POST", r"/repos/octo/dslp/issues", 502, after_effect=True)
    await say(bot, "ask", *ANSWERS)
    assert len(fake_github.issues()) == 1
    assert any(isinstance(reply, ShowFiled) for _, reply in outbox.replies)


async def test_labels_dropped_for_lack_of_push_access_are_reported(
    app: tuple[App, RecordingOutbox], fake_github: FakeGitHub
) -> None:
    bot, outbox = app
    fake_github.set_permissions(push=False, triage=False)
    await say(bot, "ask", *ANSWERS)
    filed = next(reply for _, reply in outbox.replies if isinstance(reply, ShowFiled))
    assert any("push access" in warning for warning in filed.warnings)
