"""Linked work as modals: `/dslp data 12`, `explore 12`, `experiment 12`, `model 45`, outcomes.

The core decides (`LinkedCommands.form`): a form to open, or replies (the
issue is not an Ask, the outcome was given in full, another draft is open),
which go back the way the request came. The "Open the Model issue" button
of an outcome or notice says `model 45` and lands here too.

Slack's trigger_id lives three seconds and the core looks the issue up in
GitHub first; when Slack refuses the late views.open, the draft is saved
and the person gets a button, whose press brings a fresh trigger.
"""

from __future__ import annotations

from adapters.slack import texts as t
from adapters.slack.deps import Deps
from adapters.slack.modal import Meta
from adapters.slack.modal_handlers import ModalHandlers, place_of, started_in
from bot.commands import split_command
from bot.conversation.forms import FormSpec
from bot.linked.kinds import KINDS
from bot.types import Choice, Person, Reply, Say

LINKED_COMMANDS = frozenset(KINDS)
"""The commands that open linked work: one per kind, named as its flow."""


class LinkedModals:
    def __init__(self, deps: Deps, modal: ModalHandlers) -> None:
        self._deps = deps
        self._modal = modal

    def handles(self, text: str) -> bool:
        return self._deps.linked is not None and split_command(text)[0] in LINKED_COMMANDS

    async def open(self, person: Person, text: str, trigger_id: str, meta: Meta) -> list[Reply]:
        """[] when the modal opened; else what to tell the person."""
        assert self._deps.linked is not None
        found = await self._deps.linked.form(
            person=person, place=place_of(meta), text=text, started_in=started_in(meta)
        )
        if not isinstance(found, FormSpec):
            return found
        if await self._modal.show(found, trigger_id, meta):
            return []
        return [Say(t.FORM_LATE, (Choice(t.FORM_OPEN, text.strip()),))]
