"""Asks filed with nobody at the keyboard: a workflow hands over every part at once.

The same checks as the form (`apply_form`) and the same filing as `/dslp ask`
(`Filer.file`), with two differences, because nobody is there to answer:
coaching goes into the issue's checklist instead of a review, and the issue
is filed now and handed back (the workflow's next steps want its number)
rather than queued. The draft id is made from the caller's id for the run,
so a run delivered twice finds its issue by marker and does not file twice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from bot.ask import texts as t
from bot.conversation.engine import Conversations
from bot.conversation.forms import apply_form
from bot.filing import Filer, sentence
from bot.flows.ask import ASK, COACHING_CONTEXT
from bot.ports import TrackerError
from bot.render.errors import BodyTooLong
from bot.types import Draft, Person, Place, Stage, frozen_map

_UNSAFE = re.compile(r"[^A-Za-z0-9._:-]")
RUN_PREFIX = "run:"


@dataclass(frozen=True)
class Unattended:
    """A filed Ask's number and link, or why it was not filed (a sentence for people)."""

    number: int = 0
    url: str = ""
    problem: str = ""

    @property
    def filed(self) -> bool:
        return not self.problem


class UnattendedAsks:
    def __init__(self, *, conversations: Conversations, filer: Filer) -> None:
        self._conversations = conversations
        self._filer = filer

    async def file(
        self,
        *,
        person: Person,
        place: Place,
        values: Mapping[str, str | None],
        run_id: str,
        context: Mapping[str, str],
    ) -> Unattended:
        """`place` receives later notices about the Ask (its requester's DM, say);
        unexpected failures (the database) raise, as they do for the worker."""
        draft = await self._conversations.unsaved(
            person=person, place=place, flow_name=ASK.name, context=context
        )
        result = apply_form(ASK, replace(draft, id=run_draft_id(run_id)), values)
        if result.errors:
            problems = [
                t.PROBLEM.format(label=ASK.step(key).label, error=error)
                for key, error in result.errors.items()
            ]
            return Unattended(problem=t.NOT_FILED.format(problems=" ".join(problems)))
        return await self._file(_coached(result.draft, result.advice))

    async def _file(self, draft: Draft) -> Unattended:
        try:
            done = await self._filer.file(replace(draft, stage=Stage.SUBMITTING))
        except BodyTooLong as error:
            return Unattended(problem=t.TRACKER_REFUSED.format(reason=error.message))
        except TrackerError as error:
            text = t.TRACKER_DOWN if error.retryable else t.TRACKER_REFUSED
            return Unattended(problem=text.format(reason=sentence(error.message)))
        return Unattended(number=done.draft.issue_number or 0, url=done.draft.issue_url)


def run_draft_id(run_id: str) -> str:
    """A marker-safe draft id from the caller's run id (Slack's `Fx...`)."""
    return (RUN_PREFIX + _UNSAFE.sub("", run_id))[:128]


def _coached(draft: Draft, advice: Mapping[str, tuple[str, ...]]) -> Draft:
    notes = [
        t.COACHING_NOTE.format(label=ASK.step(key).label, advice=tip)
        for key, tips in advice.items()
        for tip in tips
    ]
    if not notes:
        return draft
    context = {**draft.context, COACHING_CONTEXT: "\n".join(notes)}
    return replace(draft, context=frozen_map(context))
