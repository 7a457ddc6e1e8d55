"""Forms as modals: open them (command, shortcut, Home, button), check, review, file.

The Ask and the linked work (`data 12`, `model 45`, an experiment's outcome)
share this path: the draft names its flow, so a submission is read, checked
and reviewed with the fields of the flow it was opened for.

Every listener acks within Slack's 3 seconds: a submission is checked and
saved (database only) before its ack; filing is `Conversations.confirm`,
which marks the draft SUBMITTING and leaves the tracker to the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from adapters.slack import texts as t
from adapters.slack.blocks import escape, reply_blocks
from adapters.slack.deps import Deps
from adapters.slack.modal import (
    Meta,
    errors,
    form_values,
    form_view,
    info_view,
    review_view,
)
from adapters.slack.outbox import SendError, reason
from adapters.slack.payloads import (
    channel_owner,
    interaction_person,
    is_direct_channel,
    origin_label,
    text_of,
)
from adapters.slack.places import channel_place, direct_place
from bot.ask.from_message import problem_from_message
from bot.conversation.forms import FormSpec
from bot.conversation.readiness import describe, readiness
from bot.conversation.transitions import title_of
from bot.flows.ask import ASK
from bot.flows.spec import Flow
from bot.types import Draft, Person, Place, Reply, Stage

log = logging.getLogger(__name__)
Body = Mapping[str, Any]


def place_of(meta: Meta) -> Place:
    """Where the Ask answers: the channel (and thread) it came from, or the person's DM."""
    if meta.channel:
        return channel_place(
            channel=meta.channel, team=meta.team, thread=meta.thread, owner=meta.user, org=meta.org
        )
    return direct_place(user=meta.user, team=meta.team, org=meta.org)


def started_in(meta: Meta) -> Place | None:
    """The channel itself (not its owner's ephemeral place): where its repository is kept;
    a DM (`/dslp ask` typed there) has none, so the form asks which repository."""
    if not meta.channel:
        return None
    if is_direct_channel(meta.channel):
        return direct_place(user=meta.user, team=meta.team, org=meta.org)
    return channel_place(channel=meta.channel, team=meta.team, org=meta.org)


def draft_context(meta: Meta, origin: str) -> dict[str, str]:
    return {
        "origin": origin,
        "slack_team": meta.team,
        "slack_channel": meta.channel,
        "slack_thread": meta.thread,
        "slack_user": meta.user,
    }


class ModalHandlers:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def open(
        self, person: Person, trigger_id: str, meta: Meta, origin: str, prefill: Mapping[str, str]
    ) -> None:
        """Open the person's Ask draft (shared with the DM conversation) as a modal."""
        spec = await self._deps.conversations.open_form(
            person=person,
            place=place_of(meta),
            flow_name=ASK.name,
            prefill=prefill,
            context=draft_context(meta, origin),
            started_in=started_in(meta),
        )
        await self.show(spec, trigger_id, meta)

    async def show(self, spec: FormSpec, trigger_id: str, meta: Meta) -> bool:
        """views.open for a form; False (the draft kept) when Slack refused, e.g. a late trigger."""
        view = form_view(spec, replace(meta, draft=spec.draft_id))
        try:
            await self._deps.client.views_open(trigger_id=trigger_id, view=view)
        except SendError as error:
            log.warning(
                "slack: views.open failed: %s (draft %s kept)", reason(error), spec.draft_id
            )
            return False
        return True

    async def on_form(self, ack: AsyncAck, body: Body) -> None:
        """If the answers cannot be saved (the database is down), the form stays open with
        everything typed in it and says so: never a 500, which would lose the person's text."""
        try:
            await self._form(ack, body)
        except Exception as error:
            log.warning("slack: form not saved (%s); it stays open", type(error).__name__)
            first = next(
                (b.get("block_id", "") for b in body.get("view", {}).get("blocks", [])
                 if b.get("type") == "input"),
                "",
            )  # fmt: skip
            if first:
                await ack(response_action="errors", errors=errors({first: t.FORM_NOT_SAVED}))
            else:
                await ack(response_action="update", view=info_view(t.OUTAGE_TITLE, t.WORK_FAILED))

    async def _form(self, ack: AsyncAck, body: Body) -> None:
        """Per-field errors inline, else the review step; answers are saved either way."""
        person, meta = self._checked(body)
        if meta is None:
            await ack(response_action="update", view=self._refused(person, body))
            return
        flow = await self._flow_of(person, meta)
        view = body.get("view", {})
        values = None if flow is None else form_values(view, tuple(s.key for s in flow.steps))
        result = (
            None
            if values is None
            else await self._deps.conversations.submit_form(
                person=person, draft_id=meta.draft, values=values
            )
        )
        if result is None:
            log.warning("slack: stale form for draft %s from %s", meta.draft, person.user_id)
            await ack(response_action="update", view=info_view(t.STALE_TITLE, t.STALE_FORM))
        elif result.errors:
            await ack(response_action="errors", errors=errors(result.errors))
        else:
            await ack(response_action="update", view=self.review(result.draft, meta))

    async def _flow_of(self, person: Person, meta: Meta) -> Flow | None:
        """The flow of the person's own editable draft: its fields are what the view must carry."""
        draft = await self._deps.conversations.owned(person, meta.draft)
        if draft is None or draft.flow not in self._deps.flows:
            return None
        return self._deps.conversations.flow_of(draft)

    def review(self, draft: Draft, meta: Meta) -> dict[str, Any]:
        flow = self._deps.flows.get(draft.flow, ASK)
        summary = describe(readiness(flow, draft))
        return review_view(title_of(draft), summary, draft.last_error, meta, flow.name)

    async def on_review(self, ack: AsyncAck, body: Body) -> None:
        """The review has no inputs to keep: the answers were saved at Review, and it says so."""
        try:
            await self._review(ack, body)
        except Exception as error:
            log.warning("slack: File it not confirmed (%s)", type(error).__name__)
            view = info_view(t.OUTAGE_TITLE, t.REVIEW_NOT_CONFIRMED)
            await ack(response_action="update", view=view)

    async def _review(self, ack: AsyncAck, body: Body) -> None:
        """File it: the draft becomes SUBMITTING (durable) and the worker files after this ack."""
        person, meta = self._checked(body)
        if meta is None:
            await ack(response_action="update", view=self._refused(person, body))
            return
        replies = await self._deps.conversations.confirm(
            person=person, place=place_of(meta), draft_id=meta.draft
        )
        draft = await self._deps.drafts.get(draft_id=meta.draft)
        if (
            draft is not None
            and draft.owner == person.key
            and draft.stage in {Stage.SUBMITTING, Stage.FILED}
        ):
            await ack(response_action="update", view=self._filing(draft, meta))
        elif replies is None:
            log.warning("slack: review of a gone draft %s from %s", meta.draft, person.user_id)
            await ack(response_action="update", view=info_view(t.STALE_TITLE, t.STALE_FORM))
        else:
            await ack(response_action="update", view=self._not_filed(replies))

    def _filing(self, draft: Draft, meta: Meta) -> dict[str, Any]:
        where = t.WHERE_CHANNEL.format(channel=meta.channel) if meta.channel else t.WHERE_DM
        flow = self._deps.flows.get(draft.flow, ASK)
        text = t.RECORDING if flow.action else t.FILING
        heading = t.REVIEW_TITLES.get(flow.name, t.REVIEW_TITLE)
        return info_view(heading, text.format(title=escape(title_of(draft)), where=where))

    def _not_filed(self, replies: list[Reply]) -> dict[str, Any]:
        """The core said why not (a body too long, a part missing): show it, buttons aside."""
        view = info_view(t.NOT_SUBMITTED, " ")
        view["blocks"] = [b for r in replies for b in reply_blocks(r) if b["type"] != "actions"][
            :100
        ]
        return view

    async def on_edit(self, ack: AsyncAck, body: Body) -> None:
        """Back from the review to the form, with the saved answers in it."""
        await ack()
        self._deps.background.spawn(self._edit(body), "slack edit form")

    async def _edit(self, body: Body) -> None:
        person, meta = self._checked(body)
        draft = None if meta is None else await self._deps.conversations.owned(person, meta.draft)
        if meta is None or draft is None:
            log.warning("slack: edit button on a view without a usable draft")
            return
        spec = await self._deps.conversations.open_form(
            person=person, place=place_of(meta), flow_name=draft.flow
        )
        view = form_view(spec, replace(meta, draft=spec.draft_id))
        view_id = body.get("view", {}).get("id", "")
        try:
            await self._deps.client.views_update(view_id=view_id, view=view)
        except SendError as error:
            log.warning("slack: views.update failed: %s", reason(error))

    async def on_stale_view(self, ack: AsyncAck, body: Body) -> None:
        """A view this version does not know (an older app's callback_id): say so, keep drafts."""
        callback = str(body.get("view", {}).get("callback_id", ""))[:60]
        log.warning("slack: submission of an unknown view %r", callback)
        await ack(response_action="update", view=info_view(t.STALE_TITLE, t.STALE_FORM))

    def _checked(self, body: Body) -> tuple[Person, Meta | None]:
        """The submitter and the view's metadata, only if the metadata names their own draft."""
        person = interaction_person(body)
        meta = Meta.load(str(body.get("view", {}).get("private_metadata", "")))
        if meta is not None and meta.user != person.user_id:
            return person, None
        return person, meta

    def _refused(self, person: Person, body: Body) -> dict[str, Any]:
        meta = Meta.load(str(body.get("view", {}).get("private_metadata", "")))
        if meta is not None:
            log.warning("slack: %s submitted a view of %s's draft", person.user_id, meta.user)
            return info_view(t.STALE_TITLE, t.FOREIGN_FORM)
        log.warning("slack: view from %s with unreadable metadata", person.user_id)
        return info_view(t.STALE_TITLE, t.STALE_FORM)

    async def from_message(self, body: Body) -> None:
        """The message shortcut: the message becomes the problem statement, with a link back."""
        person = interaction_person(body)
        message = body.get("message", {})
        channel = str(body.get("channel", {}).get("id", ""))
        ts = str(message.get("ts", ""))
        link = await self._permalink(channel, ts)
        problem = problem_from_message(text_of(message.get("text")), link, t.FROM_MESSAGE)
        thread = str(message.get("thread_ts") or ts)
        team, org = channel_owner(body, person)
        response_url = str(body.get("response_url", ""))
        meta = Meta("-", person.user_id, team, channel, thread, response_url, org)
        prefill = {"problem": problem} if problem.strip() else {}
        name = str(body.get("channel", {}).get("name", ""))
        await self.open(person, str(body.get("trigger_id", "")), meta, origin_label(name), prefill)

    async def _permalink(self, channel: str, ts: str) -> str:
        if not channel or not ts:
            return ""
        try:
            response = await self._deps.client.chat_getPermalink(channel=channel, message_ts=ts)
        except SendError as error:
            log.warning("slack: chat.getPermalink failed: %s", reason(error))
            return ""
        return str(response.get("permalink", ""))
