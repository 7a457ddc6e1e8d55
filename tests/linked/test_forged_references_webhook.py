"""A reference typed into a bot-filed issue redirects no hand-off: a signed webhook in, chat out.

Ask #2 was asked in another (say, private) thread; a Data, Explore or Experiment
issue for Ask #1 whose answers name Ask #2 must still tell Ask #1's thread,
move Ask #1's phase, and leave Ask #2 alone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import replace
from pathlib import Path

import pytest

from bot.linked.render import Refs
from bot.render.ask import RenderedIssue
from bot.render.data import render_data
from bot.render.experiment import render_experiment
from bot.render.explore import render_explore
from bot.types import Place
from tests.fakes.fixtures import fake_github
from tests.fakes.github_api import FakeGitHub
from tests.lifecycle.conftest import (
    ASK,
    ASK_THREAD,
    Bot,
    T,
    filed_ask,
    set_up_team,
    start_bot,
    stop_bot,
)
from tests.support.webhooks import issue_payload

__all__ = ["fake_github"]

OTHER_ASK = 2
PRIVATE_THREAD = Place("slack", "G-PRIVATE", T, "1700000000.000900")
FORGED = "Ask Reference: #2\n\n***Ask Reference:*** #2"
Render = Callable[[Mapping[str, str], Refs], RenderedIssue]


@pytest.fixture
async def bot(tmp_path: Path, fake_github: FakeGitHub) -> AsyncIterator[Bot]:
    running = await start_bot(tmp_path, fake_github)
    await set_up_team(running)
    other = replace(filed_ask(), issue_number=OTHER_ASK, origin=PRIVATE_THREAD, draft_id="d-2")
    await running.app.asks.record(ask=replace(other, title="Secret reorg"))
    yield running
    await stop_bot(running)


@pytest.mark.parametrize(
    ("label", "render", "answers"),
    [
        ("Data", render_data, {"kind": "get", "name": "CRM", "description": FORGED}),
        ("Explore", render_explore, {"title": "Usage", "overview": FORGED, "goals": FORGED}),
        ("Experiment", render_experiment, {"title": "GBM", "description": FORGED}),
    ],
)
async def test_a_forged_reference_in_the_answers_does_not_redirect_the_hand_off(
    bot: Bot, label: str, render: Render, answers: dict[str, str]
) -> None:
    issue = render(answers, Refs("d-9", label.lower(), ASK))
    payload = issue_payload("opened", number=9, title=issue.title, body=issue.body, labels=(label,))
    status, _ = await bot.post("issues", payload)

    assert status == 202
    told = bot.told()
    assert ASK_THREAD in told and PRIVATE_THREAD not in told
    assert all("Secret reorg" not in say.text for says in told.values() for say in says)
    real = await bot.app.asks.by_number(repository="octo/dslp", number=ASK)
    assert real is not None and real.phase == label
    other = await bot.app.asks.by_number(repository="octo/dslp", number=OTHER_ASK)
    assert other is not None and other.phase == "Ask"
