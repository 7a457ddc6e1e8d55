"""The App Home tab: a person's Asks with their phase, open drafts, and a way to start one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from adapters.slack import texts as t
from adapters.slack.blocks import Block, context, escape, link_url, mrkdwn, plain, sections
from bot.conversation.transitions import title_of
from bot.flows.spec import Flow
from bot.types import Draft, FiledAsk, Stage

NEW_ACTION = "dslp_home_new"
RESUME_ACTION = "dslp_home_resume"
MAX_ASKS = 40
MAX_DRAFTS = 10
MAX_INSIGHTS = 3
"""Repositories whose last 90 days the Home tab shows (each a few blocks)."""


def phase_of(ask: FiledAsk) -> str:
    """The phase the lifecycle moved the Ask to; an empty one (never stored so) reads as Ask."""
    return ask.phase or t.HOME_PHASE_DEFAULT


def home_view(
    asks: Sequence[FiledAsk],
    drafts: Sequence[Draft],
    flows: Mapping[str, Flow],
    insights: Sequence[str] = (),
) -> dict[str, Any]:
    """At most ~70 blocks, under Slack's 100 for a Home tab, however many Asks there are."""
    blocks: list[Block] = [
        {"type": "header", "text": plain(t.HOME_HEADER, 150)},
        *sections(t.HOME_INTRO),
        _new_button(),
        {"type": "divider"},
        *_asks(asks),
        *_drafts(drafts, flows),
        *_insights(insights),
    ]
    return {"type": "home", "blocks": blocks}


def _new_button() -> Block:
    new = {"type": "button", "action_id": NEW_ACTION, "style": "primary"}
    return {"type": "actions", "elements": [{**new, "text": plain(t.HOME_NEW, 75), "value": "ask"}]}


def _asks(asks: Sequence[FiledAsk]) -> list[Block]:
    if not asks:
        return [*sections(t.HOME_ASKS), context(t.HOME_NO_ASKS)]
    lines = [
        t.HOME_ASK.format(
            url=link_url(ask.issue_url),
            number=ask.issue_number,
            title=escape(ask.title),
            phase=escape(phase_of(ask)),
        )
        for ask in asks[:MAX_ASKS]
    ]
    more = (
        [context(t.HOME_MORE_ASKS.format(count=len(asks) - MAX_ASKS))]
        if len(asks) > MAX_ASKS
        else []
    )
    return [*sections(t.HOME_ASKS), *sections("\n".join(lines)), *more]


def _insights(summaries: Sequence[str]) -> list[Block]:
    """Each repository's last 90 days: a few lines of core Markdown, as Slack mrkdwn."""
    if not summaries:
        return []
    return [{"type": "divider"}, *[b for text in summaries for b in sections(mrkdwn(text))]]


def _drafts(drafts: Sequence[Draft], flows: Mapping[str, Flow]) -> list[Block]:
    if not drafts:
        return []
    return [*sections(t.HOME_DRAFTS), *[_draft(d, flows) for d in drafts[:MAX_DRAFTS]]]


def _draft(draft: Draft, flows: Mapping[str, Flow]) -> Block:
    """Any flow's draft (an Ask, a Data issue, an outcome); Resume reopens that flow's form."""
    title = escape(title_of(draft))
    if draft.stage == Stage.SUBMITTING:
        return sections(t.HOME_DRAFT_FILING.format(title=title))[0]
    flow = flows.get(draft.flow)
    total = len(flow.steps) if flow else len(draft.answers)
    text = t.HOME_DRAFT.format(title=title, answered=len(draft.answers), total=total)
    resume = {"type": "button", "action_id": RESUME_ACTION, "value": draft.flow[:2000]}
    accessory = {**resume, "text": plain(t.HOME_RESUME, 75)}
    return {**sections(text)[0], "accessory": accessory}
