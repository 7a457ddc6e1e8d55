"""The engine with real storage: forms, resume after a restart, ownership, commands."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from adapters.app import App
from adapters.composition import build
from bot.types import Draft, Person, Place, Reply, Say, ShowFiled, ShowPreview, Stage
from tests.support.apps import app_settings
from tests.support.doubles import RecordingOutbox

ANA = Person(platform="slack", user_id="U1", team_id="T1", name="Ana")
BEN = Person(platform="slack", user_id="U2", team_id="T1", name="Ben")
DM = Place(platform="slack", channel_id="D1", team_id="T1")
GOOD = {
    "title": "Predict churn",
    "problem": "Customer success learns about cancellations only after they happen.",
    "outcome": "As a CSM, I can see risky accounts so that I call them first instead of last.",
}


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    built = build(app_settings(tmp_path))
    built.outbox.register("slack", RecordingOutbox())
    yield built
    built.database.dispose()


def texts(replies: Sequence[Reply]) -> str:
    return "\n".join(r.text for r in replies if isinstance(r, Say))


async def test_the_form_reports_per_field_errors_and_keeps_valid_answers(app: App) -> None:
    spec = await app.commands.conversations.open_form(person=ANA, place=DM, flow_name="ask")
    assert [f.key for f in spec.fields][:3] == ["title", "problem", "outcome"]
    values = {"title": "Predict churn", "problem": "  ", "outcome": "x" * 4000, "impact": ""}
    result = await app.commands.conversations.submit_form(
        person=ANA, draft_id=spec.draft_id, values=values
    )
    assert result is not None
    assert set(result.errors) == {"problem", "outcome"}
    assert result.draft.answers["title"] == "Predict churn"
    assert "impact" in result.draft.skipped


async def test_form_advice_is_coaching_and_confirm_files(app: App) -> None:
    spec = await app.commands.conversations.open_form(person=ANA, place=DM, flow_name="ask")
    values = {**GOOD, "metrics": "happier customers"}
    result = await app.commands.conversations.submit_form(
        person=ANA, draft_id=spec.draft_id, values=values
    )
    assert result is not None and result.ok
    assert "metrics" in result.advice
    await app.commands.conversations.confirm(person=ANA, place=DM, draft_id=spec.draft_id)
    await app.worker.drain()
    asks = await app.asks.by_requester(requester=ANA.key)
    assert len(asks) == 1 and asks[0].origin == DM


async def test_form_and_chat_share_one_draft(app: App) -> None:
    spec = await app.commands.conversations.open_form(
        person=ANA, place=DM, flow_name="ask", prefill={"problem": GOOD["problem"]}
    )
    await app.commands.conversations.submit_form(
        person=ANA,
        draft_id=spec.draft_id,
        values={"title": GOOD["title"], "problem": GOOD["problem"]},
    )
    replies = await app.commands.run(person=ANA, place=DM, text="ask")
    assert "Predict churn" in texts(replies)
    resumed = await app.commands.message(person=ANA, place=DM, text="resume")
    assert "Desired outcome" in texts(resumed)


async def test_nobody_can_submit_or_confirm_another_persons_draft(app: App) -> None:
    spec = await app.commands.conversations.open_form(person=ANA, place=DM, flow_name="ask")
    conversations = app.commands.conversations
    assert await conversations.submit_form(person=BEN, draft_id=spec.draft_id, values=GOOD) is None
    assert await conversations.confirm(person=BEN, place=DM, draft_id=spec.draft_id) is None
    assert await conversations.submit_form(person=ANA, draft_id="no-such", values=GOOD) is None


async def test_a_draft_survives_a_restart_and_is_offered_for_resume(tmp_path: Path) -> None:
    first = build(app_settings(tmp_path))
    await first.commands.run(person=ANA, place=DM, text="ask Predict churn")
    first.database.dispose()
    second = build(app_settings(tmp_path))
    offer = await second.commands.run(person=ANA, place=DM, text="ask")
    assert "unfinished Ask “Predict churn”" in texts(offer)
    discarded = await second.commands.message(person=ANA, place=DM, text="discard")
    assert "Discarded" in texts(discarded) and "Title" in texts(discarded)
    second.database.dispose()


async def test_a_submission_accepted_before_a_crash_is_filed_once_after_it(tmp_path: Path) -> None:
    crashed = build(app_settings(tmp_path))
    draft = await crashed.drafts.save(draft=await _submitted_draft(crashed))
    crashed.database.dispose()
    restarted = build(app_settings(tmp_path))
    outbox = RecordingOutbox()
    restarted.outbox.register("slack", outbox)
    assert await restarted.worker.run_once() == 1
    assert await restarted.worker.run_once() == 0
    assert [r.number for _, r in outbox.replies if isinstance(r, ShowFiled)] == [1]
    stored = await restarted.drafts.get(draft_id=draft.id)
    assert stored is not None and stored.stage == Stage.FILED
    restarted.database.dispose()


async def _submitted_draft(app: App) -> Draft:
    """A draft as a crash right after "submit" leaves it: SUBMITTING, nobody filing it."""
    conversations = app.commands.conversations
    spec = await conversations.open_form(person=ANA, place=DM, flow_name="ask")
    result = await conversations.submit_form(person=ANA, draft_id=spec.draft_id, values=GOOD)
    assert result is not None
    return replace(result.draft, stage=Stage.SUBMITTING)


async def test_commands_help_unknown_and_status(app: App) -> None:
    assert "ask [title]" in texts(await app.commands.run(person=ANA, place=DM, text=""))
    unknown = texts(await app.commands.run(person=ANA, place=DM, text="frobnicate now"))
    assert "frobnicate" in unknown and "status" in unknown
    assert "no Asks" in texts(await app.commands.run(person=ANA, place=DM, text="status"))
    assert "not an issue number" in texts(
        await app.commands.run(person=ANA, place=DM, text="status x")
    )
    assert "no Ask #7" in texts(await app.commands.run(person=ANA, place=DM, text="status #7"))


async def test_preview_shows_the_issue_with_readiness(app: App) -> None:
    await app.commands.run(person=ANA, place=DM, text="ask " + GOOD["title"])
    replies = await app.commands.message(person=ANA, place=DM, text="preview")
    preview = next(r for r in replies if isinstance(r, ShowPreview))
    assert not preview.readiness.ready
    assert "Problem statement" in preview.readiness.blocking
