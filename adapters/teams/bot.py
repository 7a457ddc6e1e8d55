"""Bot Framework activities in, core calls out: the Teams adapter's translation layer.

Messages go to `Commands.message` (the @mention stripped); card buttons go
to the form API of `Conversations`; installs get a greeting. Every activity
refreshes the stored conversation reference, so later notices can reach
the same chat or channel. No business rule lives here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace

from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    InvokeResponse,
)
from microsoft_agents.hosting.core import ActivityHandler, ConnectorClientBase

from adapters.teams import cards
from adapters.teams import texts as t
from adapters.teams.cards import CardAction, Outgoing
from adapters.teams.delivery import Delivery, Turn
from adapters.teams.mentions import names_for
from adapters.teams.mentions_in import Resolve, mentions_of, names, rewrite
from adapters.teams.message_action import (
    FETCH_TASK,
    SUBMIT_ACTION,
    Json,
    card_data,
    prefill,
    refusal,
    source_of,
    task_answer,
)
from bot.commands import Commands, split_command
from bot.conversation.forms import FormResult, FormSpec, form_spec
from bot.conversation.readiness import describe, readiness
from bot.flows.spec import Flow
from bot.linked.commands import LinkedCommands
from bot.linked.kinds import KINDS
from bot.texts import conversation as ct
from bot.types import Draft, Person, Place, Platform, Reply
from storage.teams_references import PERSONAL, SqlTeamsReferences, TeamsReference

log = logging.getLogger(__name__)

CONTEXT = {"origin": "Microsoft Teams"}
ASK_WORD = "ask"
LINKED_WORDS = frozenset(KINDS)
"""The commands that open linked work: one per kind, named as its flow."""
CARD_INVOKE = "adaptiveCard/action"


class TeamsBot(ActivityHandler):
    def __init__(
        self,
        *,
        commands: Commands,
        references: SqlTeamsReferences,
        delivery: Delivery,
        flows: Mapping[str, Flow],
        default_flow: str,
        linked: LinkedCommands | None = None,
    ) -> None:
        self._commands = commands
        self._linked = linked
        self._conversations = commands.conversations
        self._references = references
        self._delivery = delivery
        self._flows = flows
        self._default_flow = default_flow

    async def on_turn(self, turn_context: Turn) -> None:
        await self._remember(turn_context.activity)
        await super().on_turn(turn_context)

    async def on_message_activity(self, turn_context: Turn) -> None:
        activity = turn_context.activity
        who = person_of(activity)
        if who is None:
            return
        action = cards.parse_action(activity.value)
        if action is not None:
            messages = await self._card(action, who, place_of(activity, who))
        else:
            found = await mentions_of(activity, who.team_id, member_resolver(turn_context))
            text = rewrite(activity.text or "", found)
            messages = await self._text(text, who, place_of(activity, who), names(found))
        await self._send(turn_context, messages)

    async def on_invoke_activity(self, turn_context: Turn) -> InvokeResponse:
        """Universal Actions (Action.Execute) come as invokes; a 200 keeps Teams quiet.

        The message action's invokes are answered with the task module to show."""
        activity = turn_context.activity
        if activity.name in (FETCH_TASK, SUBMIT_ACTION):
            return InvokeResponse(status=200, body=await self._message_action(activity))
        who = person_of(activity)
        action = cards.parse_action(_invoke_data(activity.value))
        if activity.name == CARD_INVOKE and who is not None and action is not None:
            await self._send(turn_context, await self._card(action, who, place_of(activity, who)))
        body = {
            "statusCode": 200,
            "type": "application/vnd.microsoft.activity.message",
            "value": "",
        }
        return InvokeResponse(status=200, body=body)

    async def _message_action(self, activity: Activity) -> Json:
        """The form on the message's draft; then its review and filing, in the same dialog."""
        who = person_of(activity)
        source = source_of(activity.value)
        if who is None:
            return refusal(t.TASK_NO_PERSON)
        if source is None:
            return refusal(t.TASK_UNKNOWN)
        place = replace(place_of(activity, who), thread_id=source.thread)
        if activity.name == FETCH_TASK:
            spec = await self._open_form(who, place, self._default_flow, prefill(source))
            return task_answer([cards.form(spec)])
        action = cards.parse_action(card_data(activity.value))
        if action is None:
            return refusal(t.CARD_UNKNOWN)
        return task_answer(await self._card(action, who, place))

    async def on_conversation_update_activity(self, turn_context: Turn) -> None:
        activity = turn_context.activity
        if _includes_bot(activity.members_added, activity):
            await self._greet(turn_context)
        if _includes_bot(activity.members_removed, activity):
            await self._forget_greeting(activity)

    async def on_installation_update(self, turn_context: Turn) -> None:
        action = turn_context.activity.action or ""
        if action == "add":
            await self._greet(turn_context)
        elif action == "remove":
            await self._forget_greeting(turn_context.activity)

    # Messages

    async def _text(
        self, text: str, who: Person, place: Place, typed: Mapping[str, str] | None = None
    ) -> list[Outgoing]:
        """`typed`: names of the people mentioned in the text, for the answer's own mentions."""
        word = split_command(text)[0]
        before = await self._conversations.current(who) if word in LINKED_WORDS else None
        replies = await self._commands.message(person=who, place=place, text=text, context=CONTEXT)
        messages = cards.render(replies, {**(typed or {}), **await self._names(replies, who)})
        if word == ASK_WORD:
            messages.append(cards.offer_form(t.FORM_OFFER, self._default_flow))
        elif word in LINKED_WORDS:
            messages += await self._linked_offer(who, before, text)
        return messages

    async def _linked_offer(self, who: Person, before: Draft | None, text: str) -> list[Outgoing]:
        """The form button, only when the command started a draft (not when it was an answer)."""
        after = await self._conversations.current(who)
        if after is None or after.flow not in self._flows or self._linked is None:
            return []
        if before is not None and before.id == after.id:
            return []
        return [cards.offer_form(t.FORM_OFFER, after.flow, command=text)]

    async def _linked_form(self, command: str, who: Person, place: Place) -> list[Outgoing]:
        """`data 12` as a card: the same checks as the command, then the form (or the refusal)."""
        assert self._linked is not None
        result = await self._linked.form(person=who, place=place, text=command)
        if isinstance(result, FormSpec):
            return [cards.form(result)]
        return cards.render(result, await self._names(result, who))

    async def _card(self, action: CardAction, who: Person, place: Place) -> list[Outgoing]:
        if action.kind == "say":
            return await self._text(action.text, who, place)
        if action.kind == "form":
            if self._linked is not None and split_command(action.command)[0] in LINKED_WORDS:
                return await self._linked_form(action.command, who, place)
            return [cards.form(await self._open_form(who, place, self._flow(action)))]
        if action.kind == "submit_form":
            return await self._submit_form(action, who, place)
        if action.kind == "confirm":
            return await self._confirm(action, who, place)
        return [Outgoing(text=t.CARD_UNKNOWN)]

    async def _submit_form(self, action: CardAction, who: Person, place: Place) -> list[Outgoing]:
        """Old or foreign cards never change a draft; what was typed comes back in a fresh form."""
        flow = self._flow(action)
        draft = await self._conversations.owned(who, action.draft_id) if action.current else None
        if draft is None:
            notice = t.CARD_OLD if not action.current else t.CARD_GONE
            return await self._fresh_form(who, place, flow, action.fields, notice)
        steps = self._conversations.flow_of(draft).steps
        # A field missing from the card keeps its saved answer instead of being erased.
        values = {s.key: action.fields.get(s.key, draft.answers.get(s.key, "")) for s in steps}
        result = await self._conversations.submit_form(person=who, draft_id=draft.id, values=values)
        if result is None:
            return await self._fresh_form(who, place, flow, action.fields, t.CARD_GONE)
        if not result.ok:
            spec = form_spec(self._conversations.flow_of(result.draft), result.draft)
            notice = t.FORM_HAS_ERRORS
            return [cards.form(spec, errors=result.errors, typed=values, notice=notice)]
        return [self._review(result)]

    def _review(self, result: FormResult) -> Outgoing:
        """Coaching before filing: the readiness summary, plus advice beyond each first tip."""
        draft = result.draft
        flow = self._flows[draft.flow]
        labels = {step.key: step.label for step in flow.steps}
        extra = [(labels.get(k, k), tip) for k, tips in result.advice.items() for tip in tips[1:]]
        return cards.review(
            title=draft.answers.get("title", ct.UNTITLED),
            flow=draft.flow,
            draft_id=draft.id,
            readiness=describe(readiness(flow, draft)),
            advice=extra,
        )

    async def _confirm(self, action: CardAction, who: Person, place: Place) -> list[Outgoing]:
        if not action.current:
            return await self._fresh_form(who, place, self._flow(action), {}, t.CARD_OLD)
        replies = await self._conversations.confirm(
            person=who, place=place, draft_id=action.draft_id
        )
        if replies is None:
            return [Outgoing(text=t.CONFIRM_GONE)]
        return cards.render(replies, await self._names(replies, who))

    async def _open_form(
        self, who: Person, place: Place, flow: str, prefill: Mapping[str, str] | None = None
    ) -> FormSpec:
        return await self._conversations.open_form(
            person=who, place=place, flow_name=flow, prefill=prefill, context=CONTEXT
        )

    async def _fresh_form(
        self, who: Person, place: Place, flow: str, typed: Mapping[str, str], notice: str
    ) -> list[Outgoing]:
        spec = await self._open_form(who, place, flow, typed)
        return [Outgoing(text=notice), cards.form(spec, typed=dict(typed) or None)]

    def _flow(self, action: CardAction) -> str:
        return action.flow if action.flow in self._flows else self._default_flow

    async def _names(self, replies: Sequence[Reply], who: Person) -> dict[str, str]:
        known = {who.key: who.name} if who.name else {}
        return {**await names_for(replies, self._references), **known}

    async def _send(self, turn_context: Turn, messages: Sequence[Outgoing]) -> None:
        for message in messages:
            await self._delivery.send(turn_context, message)

    # Installation and references

    async def _greet(self, turn_context: Turn) -> None:
        conversation = turn_context.activity.conversation
        if conversation is None or not conversation.id:
            return
        if await self._references.mark_greeted(conversation_id=conversation.id):
            await self._send(turn_context, [cards.offer_form(t.GREETING, self._default_flow)])

    async def _forget_greeting(self, activity: Activity) -> None:
        if activity.conversation is not None and activity.conversation.id:
            await self._references.mark_greeted(
                conversation_id=activity.conversation.id, greeted=False
            )

    async def _remember(self, activity: Activity) -> None:
        ref = reference_of(activity)
        if ref is not None:
            await self._references.save(ref=ref)


def person_of(activity: Activity) -> Person | None:
    """Teams users are keyed by their Entra object id when Teams sends it (stable across chats).

    No tenant, no person: the tenant is the scope everything they do is kept in,
    and an activity without one must not land in a scope shared by all such.
    """
    sender = activity.from_property
    tenant = tenant_of(activity)
    if sender is None or not (sender.aad_object_id or sender.id) or not tenant:
        if not tenant:
            log.warning("teams: an activity without a tenant id was ignored")
        return None
    user_id = sender.aad_object_id or sender.id
    return Person(Platform.TEAMS, user_id, tenant, sender.name or "")


def place_of(activity: Activity, who: Person) -> Place:
    conversation = activity.conversation
    assert conversation is not None and conversation.id  # the SDK rejects activities without one
    return Place(Platform.TEAMS, conversation.id, who.team_id)


def tenant_of(activity: Activity) -> str:
    if activity.conversation is not None and activity.conversation.tenant_id:
        return activity.conversation.tenant_id
    data = activity.channel_data
    tenant = data.get("tenant") if isinstance(data, dict) else getattr(data, "tenant", None)
    if isinstance(tenant, dict):
        return str(tenant.get("id") or "")
    return str(getattr(tenant, "id", "") or "")


def member_resolver(turn_context: Turn) -> Resolve:
    """Asks the Bot Connector who a `29:` id is (its Entra object id); "" when it cannot say."""

    async def resolve(user_id: str) -> str:
        activity = turn_context.activity
        services = getattr(turn_context, "services", None)
        client = services.get(ConnectorClientBase) if services is not None else None
        if client is None or activity.conversation is None:
            return ""
        try:
            member = await client.conversations.get_conversation_member(
                activity.conversation.id, user_id
            )
        except Exception as error:  # the member left, or the connector is down: a plain name
            log.warning("Teams member lookup failed: %s", type(error).__name__)
            return ""
        return str(member.aad_object_id or "")

    return resolve


def reference_of(activity: Activity) -> TeamsReference | None:
    conversation = activity.conversation
    if conversation is None or not conversation.id or not activity.service_url:
        return None
    reference = activity.get_conversation_reference().model_dump(
        mode="json", by_alias=True, exclude_none=True
    )
    reference.pop("activityId", None)
    kind = conversation.conversation_type or ""
    who = person_of(activity) if kind == PERSONAL else None
    return TeamsReference(
        conversation_id=conversation.id,
        service_url=activity.service_url,
        reference=reference,
        conversation_type=kind,
        tenant_id=tenant_of(activity),
        user_id=who.user_id if who else "",
        user_name=who.name if who else "",
        bot_id=activity.recipient.id if activity.recipient and activity.recipient.id else "",
    )


def _includes_bot(members: Sequence[ChannelAccount] | None, activity: Activity) -> bool:
    bot_id = activity.recipient.id if activity.recipient else None
    return bool(bot_id) and any(member.id == bot_id for member in members or ())


def _invoke_data(value: object) -> object:
    if not isinstance(value, dict):
        return None
    action = value.get("action")
    return action.get("data") if isinstance(action, dict) else None
