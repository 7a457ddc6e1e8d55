"""Slack listeners: translate each payload for the core, ack, and answer after the ack.

Registration order matters in Bolt (the first matching listener wins), so
the catch-alls for unknown views, actions, shortcuts and events come last:
anything this version does not know is acked and logged, never a 404
(which Slack shows as an error, and for events retries).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse

from adapters.slack import texts as t
from adapters.slack.allow import WorkspaceGate
from adapters.slack.blocks import CHOICE_ACTION, LINK_ACTION
from adapters.slack.deps import Deps
from adapters.slack.home import MAX_INSIGHTS, NEW_ACTION, RESUME_ACTION, home_view
from adapters.slack.installs import Installs
from adapters.slack.linked import LinkedModals
from adapters.slack.modal import EDIT_ACTION, FORM_CALLBACK, REVIEW_CALLBACK, Meta
from adapters.slack.modal_handlers import ModalHandlers, place_of
from adapters.slack.outbox import SendError, reason
from adapters.slack.payloads import (
    action_channel,
    channel_owner,
    command_person,
    event_person,
    first_action,
    interaction_person,
    is_direct_channel,
    is_person_dm,
    origin_label,
    text_of,
)
from adapters.slack.places import channel_place
from adapters.slack.replays import CONTEXT_KEY, COPY_NOT_RUN
from adapters.slack.workflow import WorkflowStep
from bot.commands import split_command
from bot.digest.commands import TIMEZONE_CONTEXT
from bot.flows.ask import ASK
from bot.types import FiledAsk, Person, Place, Reply, Say

log = logging.getLogger(__name__)

COMMAND = "/dslp"
SHORTCUT_CALLBACK = "dslp_frame_ask"
ANY = re.compile(".*")
Body = Mapping[str, Any]
SLACK_CONTEXT = {"origin": "Slack"}
ZONED_COMMANDS = frozenset({"digest"})


class SlackHandlers:
    def __init__(self, deps: Deps, installs: Installs | None = None) -> None:
        """`installs`: installed into many workspaces through OAuth (else SLACK_BOT_TOKEN)."""
        self._deps = deps
        self._installs = installs
        self._modal = ModalHandlers(deps)
        self._linked = LinkedModals(deps, self._modal)
        self._workflow = WorkflowStep(deps)
        self._gate = WorkspaceGate(deps.team_ids, refused=self._workflow.end_refused)

    def register(self, bolt: AsyncApp) -> None:
        bolt.use(self._gate.check)
        bolt.use(self.once_per_event)
        if self._installs is not None:
            self._installs.register(bolt)
        bolt.command(COMMAND)(self.on_command)
        bolt.view(FORM_CALLBACK)(self._modal.on_form)
        bolt.view(REVIEW_CALLBACK)(self._modal.on_review)
        bolt.view(ANY)(self._modal.on_stale_view)
        bolt.view_closed(ANY)(self.just_ack)
        bolt.action(EDIT_ACTION)(self._modal.on_edit)
        bolt.action(re.compile(f"^{CHOICE_ACTION}"))(self.on_choice)
        bolt.action(NEW_ACTION)(self.on_home_button)
        bolt.action(RESUME_ACTION)(self.on_home_button)
        bolt.action(re.compile(f"^{LINK_ACTION}"))(self.just_ack)
        bolt.action(ANY)(self.on_unknown)
        bolt.shortcut(SHORTCUT_CALLBACK)(self.on_shortcut)
        bolt.shortcut(ANY)(self.on_unknown)
        bolt.event("app_home_opened")(self.on_home_opened)
        bolt.event("message")(self.on_message)
        self._workflow.register(bolt)
        bolt.event(ANY)(self.ignore_event)

    async def once_per_event(
        self, body: Body, resp: BoltResponse, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse:
        """Slack re-delivers events it thinks were missed: only the first delivery goes on."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and not await self._deps.events.first_time(key=event_id):
            log.info("slack: event %s already taken in; this delivery is skipped", event_id)
            return BoltResponse(status=200, body="")
        await next()
        return resp

    async def on_command(self, ack: AsyncAck, body: Body, context: AsyncBoltContext) -> None:
        """Acked first; whether it is a copy of a command already run is looked up after, so
        the ack never waits on the database (a copy is acked alike, and runs nothing)."""
        await ack()
        work = self._first_command(body, context.bot_user_id or "", context.get(CONTEXT_KEY))
        self._deps.background.spawn(self._or_sorry(work, body, "command"), "slack command")

    async def _first_command(self, body: Body, bot_user: str, replay_key: str | None) -> None:
        """Socket Mode's requests carry no replay key (they come over our own connection)."""
        if replay_key and not await self._deps.replays.first_time(replay_key):
            log.warning(COPY_NOT_RUN)
            return
        await self._command(body, bot_user)

    async def _or_sorry(self, work: Coroutine[Any, Any, None], body: Body, what: str) -> None:
        """Work after an ack that fails (the database is down) is said to the person, who
        would otherwise hear nothing: through the response_url (no database needed), else by DM.
        """
        try:
            await work
        except Exception as error:
            kind = type(error).__name__  # never the message: it may hold SQL parameters
            log.warning("slack: %s failed after its ack (%s); telling the person", what, kind)
            user = str(
                body.get("user_id")
                or body.get("user", {}).get("id")
                or body.get("event", {}).get("user", "")
            )
            response_url = str(body.get("response_url", ""))
            await self._deps.replier.respond(
                response_url=response_url, user=user, replies=[Say(t.WORK_FAILED)]
            )

    async def _command(self, body: Body, bot_user: str) -> None:
        person = command_person(body)
        channel, team = str(body.get("channel_id", "")), person.team_id
        text = text_of(body.get("text"), team, bot_user=bot_user)
        name, args = split_command(text)
        response_url = str(body.get("response_url", ""))
        meta = Meta("-", person.user_id, team, channel, "", response_url, person.org_id)
        trigger = str(body.get("trigger_id", ""))
        if name == ASK.name:
            origin = origin_label(str(body.get("channel_name", "")))
            prefill = {"title": args} if args else {}
            await self._modal.open(person, trigger, meta, origin, prefill)
            return
        if self._linked.handles(text):
            replies = await self._linked.open(person, text, trigger, meta)
        else:
            replies = await self._deps.commands.run(
                person=person,
                place=command_place(person, channel),
                text=text,
                context=await self._context(person, name),
            )
        await self._deps.replier.respond(
            response_url=response_url,
            user=person.user_id,
            replies=replies,
            channel="" if is_direct_channel(channel) else channel,
        )

    async def _context(self, person: Person, name: str) -> dict[str, str]:
        """Slack's origin, and the person's time zone for commands that read one (digest)."""
        zone = await self._deps.zones.zone(person.user_id) if name in ZONED_COMMANDS else ""
        return {**SLACK_CONTEXT, TIMEZONE_CONTEXT: zone} if zone else SLACK_CONTEXT

    async def on_choice(self, ack: AsyncAck, body: Body) -> None:
        """A button of a core reply: its value is fed back as if the person had typed it."""
        await ack()
        self._deps.background.spawn(
            self._or_sorry(self._choice(body), body, "button"), "slack button"
        )

    async def _choice(self, body: Body) -> None:
        """`model 45` (an outcome's or notice's button) opens the modal; the rest is typed text."""
        person = interaction_person(body)
        text = text_of(first_action(body).get("value"))
        channel, thread = action_channel(body)
        direct = not channel or is_direct_channel(channel)
        response_url = str(body.get("response_url", ""))
        team, org = (person.team_id, person.org_id) if direct else channel_owner(body, person)
        meta = Meta(
            "-",
            person.user_id,
            team,
            "" if direct else channel,
            "" if direct else thread,
            response_url,
            org,
        )
        if self._linked.handles(text):
            trigger = str(body.get("trigger_id", ""))
            replies = await self._linked.open(person, text, trigger, meta)
        else:
            replies = await self._deps.commands.message(
                person=person, place=typed_place(meta), text=text, context=SLACK_CONTEXT
            )
        await self._answer_choice(person, channel, thread, response_url, replies)

    async def _answer_choice(
        self, person: Person, channel: str, thread: str, response_url: str, replies: list[Reply]
    ) -> None:
        """Into the DM the button sat in, by DM from Home, else ephemerally in the channel."""
        if channel and is_direct_channel(channel):
            await self._deps.replier.in_channel(channel=channel, thread=thread, replies=replies)
        elif not channel:
            place = Place.direct(person)
            await self._deps.outbox.send(place=place, replies=replies)
        else:
            await self._deps.replier.respond(
                response_url=response_url, user=person.user_id, replies=replies
            )

    async def on_home_button(self, ack: AsyncAck, body: Body) -> None:
        """ "Frame a new Ask" and "Resume" on the Home tab: the modal, answering by DM."""
        await ack()
        person = interaction_person(body)
        meta = Meta("-", person.user_id, person.team_id, org=person.org_id)
        trigger = str(body.get("trigger_id", ""))
        flow = str(first_action(body).get("value", ""))
        self._deps.background.spawn(self._resume(person, trigger, meta, flow), "slack home")

    async def _resume(self, person: Person, trigger: str, meta: Meta, flow: str) -> None:
        """A linked draft reopens with its own references; anything else is the Ask."""
        if flow == ASK.name or flow not in self._deps.flows:
            await self._modal.open(person, trigger, meta, "Slack", {})
            return
        draft = await self._deps.drafts.get_open(owner=person.key, flow=flow)
        if draft is None or await self._deps.conversations.owned(person, draft.id) is None:
            log.info("slack: resume of a %s draft that is gone (%s)", flow, person.user_id)
            return
        spec = await self._deps.conversations.open_form(
            person=person, place=place_of(meta), flow_name=flow
        )
        await self._modal.show(spec, trigger, meta)

    async def on_shortcut(self, ack: AsyncAck, body: Body) -> None:
        await ack()
        work = self._or_sorry(self._modal.from_message(body), body, "shortcut")
        self._deps.background.spawn(work, "slack shortcut")

    async def on_home_opened(self, body: Body) -> None:
        if body.get("event", {}).get("tab") != "home":
            return
        self._deps.background.spawn(self._publish_home(body), "slack home tab")

    async def _publish_home(self, body: Body) -> None:
        person = event_person(body)
        asks = await self._deps.asks.by_requester(requester=person.key)
        drafts = await self._deps.drafts.list_open(owner=person.key)
        insights = await self._insights(asks)
        view = home_view(asks, drafts, self._deps.flows, insights)
        try:
            await self._deps.client.views_publish(user_id=person.user_id, view=view)
        except SendError as error:
            log.warning("slack: views.publish for %s failed: %s", person.user_id, reason(error))

    async def _insights(self, asks: Sequence[FiledAsk]) -> list[str]:
        """The person's repositories are those of the Asks they filed (a few at most)."""
        if self._deps.insights is None:
            return []
        names = sorted({ask.repository for ask in asks if ask.repository})[:MAX_INSIGHTS]
        return await self._deps.insights.summaries(names)

    async def on_message(self, body: Body, context: AsyncBoltContext) -> None:
        """A message to the bot in its DM: an answer to the open draft, or a command."""
        event = body.get("event", {})
        if not is_person_dm(event):
            return
        work = self._or_sorry(self._message(body, context.bot_user_id or ""), body, "message")
        self._deps.background.spawn(work, "slack message")

    async def _message(self, body: Body, bot_user: str) -> None:
        event = body.get("event", {})
        person = event_person(body)
        place = Place.direct(person)
        text = text_of(event.get("text"), person.team_id, bot_user=bot_user)
        context = await self._context(person, split_command(text)[0])
        replies = await self._deps.commands.message(
            person=person, place=place, text=text, context=context
        )
        await self._deps.replier.in_channel(
            channel=str(event.get("channel", "")), thread="", replies=replies
        )

    async def just_ack(self, ack: AsyncAck) -> None:
        await ack()

    async def on_unknown(self, ack: AsyncAck, body: Body) -> None:
        """A button or shortcut of an older version: nothing to do, but never an error."""
        await ack()
        action = first_action(body).get("action_id") or body.get("callback_id") or "?"
        log.warning(
            "slack: ignored unknown %s %r", str(body.get("type", "?"))[:40], str(action)[:60]
        )

    async def ignore_event(self, body: Body) -> None:
        log.info("slack: ignored event %r", str(body.get("event", {}).get("type", "?"))[:40])


def command_place(person: Person, channel: str) -> Place:
    """A slash command typed in a 1:1 DM (`D…`) is the person's DM, as a typed DM is: only
    they see the answer, so their own access decides. A group DM (`G…`, `mpdm-…`) holds
    other people and keeps the rules of a channel."""
    if is_direct_channel(channel):
        return Place.direct(person)
    return channel_place(channel=channel, team=person.team_id, org=person.org_id)


def typed_place(meta: Meta) -> Place:
    """Where a button's text counts as typed: the channel as a slash command there names it,
    without the owner an Ask's origin carries (channel settings, such as a subscription
    confirmed by button, belong to the channel, not to `C123/U456`)."""
    if not meta.channel:
        return place_of(meta)
    return channel_place(channel=meta.channel, team=meta.team, thread=meta.thread, org=meta.org)
