"""TeamsOutbox: replies sent outside a request (filing results, notices, digests).

Teams lets a bot post only where it has a conversation reference from an
earlier activity; `continue_conversation` opens a turn on that reference.
A `dm:<user>` place means the user's personal chat with the bot.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from microsoft_agents.activity import ConversationReference
from microsoft_agents.hosting.core import ChannelServiceAdapter, ClaimsIdentity, TurnContext

from adapters.teams import cards
from adapters.teams.delivery import Delivery
from adapters.teams.mentions import names_for
from bot.types import Place, Reply
from storage.teams_references import SqlTeamsReferences, TeamsReference

log = logging.getLogger(__name__)


class TeamsOutbox:
    def __init__(
        self,
        *,
        adapter: ChannelServiceAdapter,
        references: SqlTeamsReferences,
        delivery: Delivery,
        app_id: str,
    ) -> None:
        self._adapter = adapter
        self._references = references
        self._delivery = delivery
        self._app_id = app_id

    async def send(self, *, place: Place, replies: Sequence[Reply]) -> None:
        stored = await self._reference(place)
        if stored is None:
            log.warning(
                "no Teams conversation reference for %s; %d replies not sent",
                place.channel_id,
                len(replies),
            )
            return
        messages = cards.render(replies, await names_for(replies, self._references))

        async def post(context: TurnContext) -> None:
            for message in messages:
                await self._delivery.send(context, message)

        try:
            await self._continue(stored, post)
        except Exception:
            # One unreachable conversation must not stop the worker's other notices.
            log.exception("could not send %d replies to Teams %s", len(replies), place.channel_id)

    async def _continue(
        self, stored: TeamsReference, post: Callable[[TurnContext], Awaitable[None]]
    ) -> None:
        reference = ConversationReference.model_validate(stored.reference)
        continuation = reference.get_continuation_activity()
        continuation.id = None  # a new message in the conversation, not a reply to an activity
        if self._app_id:
            await self._adapter.continue_conversation(self._app_id, continuation, post)
            return
        # Local testing without an app registration: no token is asked for or sent.
        await self._adapter.continue_conversation_with_claims(ClaimsIdentity(), continuation, post)

    async def _reference(self, place: Place) -> TeamsReference | None:
        if place.is_direct:
            return await self._references.personal(
                tenant_id=place.team_id, user_id=place.direct_user
            )
        return await self._references.by_conversation(conversation_id=place.channel_id)
