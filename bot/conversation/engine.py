"""The thin engine around the pure transitions: load, step, save, hand on.

A draft is saved before any reply is returned, so a person who closes the
chat (or a process that dies) after an answer never loses it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
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
from bot.repositories.homes import CHOICES_KEY, REPOSITORY_KEY, flow_for
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
        choices: Callable[[Place], Awaitable[Sequence[str]]] | None = None,
    ) -> None:
        """`home` names the repository a new draft files into, from where it was started
        (bot.repositories.homes); where `choices` offers several instead, the draft's first
        step asks which. A draft whose context names one already keeps it."""
        self._drafts = drafts
        self._home = home
        self._choices = choices
        self._flows = flows
        self._on_submitted = on_submitted
        self._new_id = new_id

    def flow_of(self, draft: Draft) -> Flow:
        """The flow the draft is asked and checked with (its repository step, if it has one)."""
        return flow_for(self._flows[draft.flow], draft)

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
            return await self._finish(offer_resume(existing, self.flow_of(existing)), place)
        draft = await self._new_draft(person, place, flow, context or {})
        draft = _prefilled(flow, draft, prefill)
        asked = self.flow_of(draft)
        if asked is not flow and initial.strip():  # `ask Churn`: the title, then which repository
            draft, initial = _prefilled(flow, draft, {flow.steps[0].key: initial}), ""
        return await self._begin_with(draft, place, asked, initial)

    async def reply(self, *, person: Person, place: Place, text: str) -> list[Reply] | None:
        """An answer or command inside the open draft; None when there is no draft."""
        draft = await self.current(person)
        if draft is None:
            return None
        flow = self.flow_of(draft)
        outcome = advance(flow, draft, text)
        replies = await self._finish(outcome, place)
        if outcome.restart:
            replies += await self._begin(person, place, self._flows[draft.flow], draft.context)
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
        return form_spec(self.flow_of(saved), saved)

    async def submit_form(
        self, *, person: Person, draft_id: str, values: Mapping[str, str | None]
    ) -> FormResult | None:
        """Check and save a form; None when the draft is gone or not this person's."""
        draft = await self.owned(person, draft_id)
        if draft is None:
            return None
        result = apply_form(self.flow_of(draft), draft, values)
        saved = await self._drafts.save(draft=result.draft)
        return replace(result, draft=saved)

    async def confirm(self, *, person: Person, place: Place, draft_id: str) -> list[Reply] | None:
        """File a reviewed form; None when the draft is gone or not this person's."""
        draft = await self.owned(person, draft_id)
        if draft is None:
            return None
        reviewed = replace(draft, stage=Stage.REVIEW)
        return await self._finish(submit(self.flow_of(draft), reviewed), place)

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
        context = {key: value for key, value in context.items() if key != CHOICES_KEY}
        if not context.get(REPOSITORY_KEY):
            context = {**context, **await self._repository(place)}
        draft = Draft(
            id=self._new_id(),
            flow=flow.name,
            owner=person.key,
            owner_name=person.name,
            origin=place,
            cursor="",
            context=frozen_map(context),
        )
        return replace(draft, cursor=self.flow_of(draft).steps[0].key)

    async def _repository(self, place: Place) -> dict[str, str]:
        """Where a new draft files: several to choose from, else the place's home."""
        choices = await self._choices(place) if self._choices is not None else ()
        if choices:
            return {CHOICES_KEY: "\n".join(choices)}
        return {REPOSITORY_KEY: await self._home(place)} if self._home is not None else {}

    async def _begin(
        self, person: Person, place: Place, flow: Flow, context: Mapping[str, str]
    ) -> list[Reply]:
        draft = await self._new_draft(person, place, flow, context)
        return await self._begin_with(draft, place, self.flow_of(draft), "")

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
