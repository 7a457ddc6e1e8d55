"""After DSLP_FILING_GIVE_UP_HOURS the draft goes back to its owner, who is told once."""

from __future__ import annotations

from typing import Any

import pytest

from bot.types import Stage
from tests.slack.conftest import ANA, GOOD, SlackHarness, as_text, file_form

pytestmark = pytest.mark.slow


@pytest.fixture
def slack_overrides() -> dict[str, Any]:
    return {"dslp_filing_give_up_hours": 1e-9}  # gives up at the first failure


async def test_giving_up_says_so_once_keeps_the_draft_and_promises_no_retry(
    slack: SlackHarness,
) -> None:
    slack.github.outage.start(status=502)
    await file_form(slack, GOOD)
    await slack.settle()
    assert await slack.app.worker.run_once() == 0  # back to review: nothing left to retry
    [told] = slack.fake.delivered("chat.postMessage")
    assert "kept trying" in as_text(told) and "draft is safe" in as_text(told)
    assert "will try again" not in as_text(told)
    [draft] = await slack.app.drafts.list_open(owner=f"slack:T0TEST:{ANA}")
    assert draft.stage == Stage.REVIEW and draft.answers["title"] == GOOD["title"]
    assert slack.github.issues() == []
