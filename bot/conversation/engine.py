"""The thin engine around the pure transitions: load, step, save, hand on.

A draft is saved before any reply is returned, so a person who closes the
chat (or a process that dies) after an answer never loses it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from uuid import uuid4

from bot.conversation.forms import FormResult, FormSpec, apply_form, form_spec
from bot.conversation.transitions import (
    Outcome,
    advance,
    answer,
    offer_resume,
    prompt,
    submit,
    title_of,
)
from bot.flows.answers import check
from bot.flows.spec import Flow
from bot.ports import DraftStore
from bot.repositories.homes import REPOSITORY_KEY
from bot.texts import conversation as t
from bot.types import (
    EDITABLE_STAGES,
    Draft,
    Person,
    Place,
    Reply,
    Say,
    Stage,
    frozen_map,
)

OnSubmitted = Callable[[Draft], Awaitable[None]]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _recency(draft: Draft) -> datetime:
    return draft.updated_at or draft.created_at or _EPOCH


class Conversations:
    def __init__(
        self,
        *,
        drafts: DraftStore,
        flows: Mapping[str, Flow],
        on_submitted: OnSubmitted,
        new_id: Callable[[], str] = lambda: uuid4().hex,
        home: Callable[[Place], Awaitable[str]] | None = None,
    ) -> None:
        """`home` names the repository a new draft files into, from where it was started
        (bot.repositories.homes); a draft whose context names one already keeps it."""
        self._drafts = drafts
        self._home = home
        self._flows = flows
        self._on_submitted = on_submitted
        self._new_id = new_id

    async def current(self, person: Person) -> Draft | None:
        """The person's most recently touched open draft, whatever the platform."""
        drafts = await self._drafts.list_open(owner=person.key)
        return max(drafts, key=_recency, default=None)

    async def start(
        self,
        *,
        person: Person,
        place: Place,
        flow_name: str,
        initial: str = "",
        context: Mapping[str, str] | None = None,
        prefill: Mapping[str, str] | None = None,
    ) -> list[Reply]:
        """`prefill` answers come from elsewhere (a Model from its Experiment): shown, keepable."""
        flow = self._flows[flow_name]
        existing = await self._drafts.get_open(owner=person.key, flow=flow_name)
        if existing is not None and existing.stage == Stage.SUBMITTING:
            return [Say(t.SUBMITTING.format(title=title_of(existing)))]
        if existing is not None:
            return await self._finish(offer_resume(existing, flow), place)
        draft = await self._new_draft(person, place, flow, context or {})
        draft = _prefilled(flow, draft, prefill)
        return await self._begin_with(draft, place, flow, initial)

    async def reply(self, *, person: Person, place: Place, text: str) -> list[Reply] | None:
        """An answer or command inside the open draft; None when there is no draft."""
        draft = await self.current(person)
        if draft is None:
            return None
        flow = self._flows[draft.flow]
        outcome = advance(flow, draft, text)
        replies = await self._finish(outcome, place)
        if outcome.restart:
            replies += await self._begin(person, place, flow, "", draft.context)
        return replies

    async def open_form(
        self,
        *,
        person: Person,
        place: Place,
        flow_name: str,
        prefill: Mapping[str, str] | None = None,
        context: Mapping[str, str] | None = None,
        started_in: Place | None = None,
    ) -> FormSpec:
        """The person's open draft of this flow as a form (shared with the chat), or a new one.

        `started_in` is the channel whose repository a new draft files into, when `place`
        (where answers go) is not it: Slack answers a modal to its owner alone."""
        flow = self._flows[flow_name]
        draft = await self._drafts.get_open(owner=person.key, flow=flow_name)
        if draft is None or draft.stage not in EDITABLE_STAGES:
            draft = await self._new_draft(person, started_in or place, flow, context or {})
            draft = replace(draft, origin=place)
        draft = _prefilled(flow, draft, prefill)
        saved = await self._drafts.save(draft=replace(draft, awaiting_resume=False))
        return form_spec(flow, saved)

    async def submit_form(
        self, *, person: Person, draft_id: str, values: Mapping[str, str | None]
    ) -> FormResult | None:
        """Check and save a form; None when the draft is gone or not this person's."""
        draft = await self.owned(person, draft_id)
        if draft is None:
            return None
        result = apply_form(self._flows[draft.flow], draft, values)
        saved = await self._drafts.save(draft=result.draft)
        return replace(result, draft=saved)

    async def confirm(self, *, person: Person, place: Place, draft_id: str) -> list[Reply] | None:
        """File a reviewed form; None when the draft is gone or not this person's."""
        draft = await self.owned(person, draft_id)
        if draft is None:
            return None
        reviewed = replace(draft, stage=Stage.REVIEW)
        return await self._finish(submit(self._flows[draft.flow], reviewed), place)

    async def owned(self, person: Person, draft_id: str) -> Draft | None:
        """A draft by id only if it belongs to `person`: ids arrive from clients."""
        draft = await self._drafts.get(draft_id=draft_id)
        if draft is None or draft.owner != person.key or draft.stage not in EDITABLE_STAGES:
            return None
        return draft

    async def unsaved(
        self, *, person: Person, place: Place, flow_name: str, context: Mapping[str, str]
    ) -> Draft:
        """A new draft homed like any other, not kept: for work filed at once (a workflow)."""
        return await self._new_draft(person, place, self._flows[flow_name], context)

    async def _new_draft(
        self, person: Person, place: Place, flow: Flow, context: Mapping[str, str]
    ) -> Draft:
        if self._home is not None and not context.get(REPOSITORY_KEY):
            context = {**context, REPOSITORY_KEY: await self._home(place)}
        return Draft(
            id=self._new_id(),
            flow=flow.name,
            owner=person.key,
            owner_name=person.name,
            origin=place,
            cursor=flow.steps[0].key,
            context=frozen_map(context),
        )

    async def _begin(
        self,
        person: Person,
        place: Place,
        flow: Flow,
        initial: str,
        context: Mapping[str, str],
    ) -> list[Reply]:
        draft = await self._new_draft(person, place, flow, context)
        return await self._begin_with(draft, place, flow, initial)

    async def _begin_with(
        self, draft: Draft, place: Place, flow: Flow, initial: str
    ) -> list[Reply]:
        outcome = answer(flow, draft, initial) if initial.strip() else prompt(flow, draft)
        return await self._finish(outcome, place)

    async def _finish(self, outcome: Outcome, place: Place) -> list[Reply]:
        draft = outcome.draft
        if outcome.submitted:
            draft = replace(draft, origin=place)
        saved = await self._drafts.save(draft=draft)
        if outcome.submitted:
            await self._on_submitted(saved)
        return list(outcome.replies)


def _prefilled(flow: Flow, draft: Draft, prefill: Mapping[str, str] | None) -> Draft:
    """Valid prefilled answers for parts not answered yet; a bad one is simply not used."""
    for key, raw in (prefill or {}).items():
        checked = check(flow.step(key), raw)
        if checked.value and not checked.error and not draft.answers.get(key):
            draft = replace(draft, answers=frozen_map({**draft.answers, key: checked.value}))
    return draft
