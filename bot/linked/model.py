"""What the four kinds of linked work share: where they point back, and their branch.

Each flow (data.py, explore.py, experiment.py, model.py) is declared as data
in its own module; `LinkedKind` adds what filing needs to know about it, so the
after-filed step is one piece of code for every kind instead of an `if` per type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.dslp import IssueType
from bot.flows.spec import Flow
from bot.linked.render import Refs
from bot.render.ask import RenderedIssue
from bot.render.ask_sections import LINK_SECTION_FOR, LinkSection
from bot.types import Draft

ASK_KEY = "ask"
EXPERIMENT_KEY = "experiment"
TITLE_KEY = "title"
"""Draft context keys: the numbers the command checked before the flow started, and a
title for drafts whose flow asks none (what `resume` and "being filed" call the draft)."""


def context_number(draft: Draft, key: str) -> int | None:
    text = draft.context.get(key, "")
    return int(text) if text.isdigit() else None


def refs_of(draft: Draft) -> Refs:
    """The draft's references; #0 only if a form was opened without them (never by a command)."""
    return Refs(
        draft_id=draft.id,
        kind=draft.flow,
        ask=context_number(draft, ASK_KEY) or 0,
        experiment=context_number(draft, EXPERIMENT_KEY),
    )


def renderer(
    render: Callable[[Mapping[str, str], Refs], RenderedIssue],
) -> Callable[[Draft], tuple[str, str]]:
    def render_draft(draft: Draft) -> tuple[str, str]:
        rendered = render(draft.answers, refs_of(draft))
        return rendered.title, rendered.body

    return render_draft


@dataclass(frozen=True)
class LinkedKind:
    """A flow that files linked work; `slug_key` is the answer the branch is named after."""

    flow: Flow
    kind: IssueType
    slug_key: str

    @property
    def section(self) -> LinkSection | None:
        """Which list of the Ask shows it (Model issues are in none)."""
        return LINK_SECTION_FOR.get(self.kind)
