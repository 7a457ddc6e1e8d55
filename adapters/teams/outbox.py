"""TeamsOutbox: replies sent outside a request (filing results, notices, digests).

Teams lets a bot post only where it has a conversation reference from an
earlier activity; `continue_conversation` opens a turn on that reference.
A `dm:<user>` place means the user's personal chat with the bot.

`Delivery` retries Teams' busy answers a few times; what still fails raises
`DeliveryError` so the notification worker can retry later (at Teams' own
`Retry-After`) or give up when retrying cannot help: no stored reference,
or 403/404 (the bot was removed, the conversation is gone).

Queued messages keep the id the Bot Connector gave the (last) activity sent
(`sent_ref`). A message whose earlier send ended without a recorded outcome
is sent again: Teams cannot be asked for a message by our key, and the id of
a send cut off before its answer was never known. That send, and a busy
answer (429/5xx) `Delivery` retries after the Connector may already have
posted, are at least once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import ClientError, ClientResponseError
from microsoft_agents.activity import ConversationReference
from microsoft_agents.hosting.core import ChannelServiceAdapter, ClaimsIdentity, TurnContext

from adapters.outbox import Mark
from adapters.teams import cards
from adapters.teams.delivery import Delivery, retry_after
from adapters.teams.mentions import names_for
from bot.ports import DeliveryError
from bot.types import Place, Reply
from storage.teams_references import SqlTeamsReferences, TeamsReference

log = logging.getLogger(__name__)

GONE = frozenset({403, 404})
NO_REFERENCE = "no Teams conversation reference"


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
        await self._send(place, replies)

    async def send_marked(self, *, place: Place, replies: Sequence[Reply], mark: Mark) -> str:
        """adapters.outbox.MarkingOutbox: sent (again, when unsure), returning the activity id."""
        if mark.unsure_since is not None:
            log.info("teams: %s may have been sent before; Teams cannot say, so again", mark.key)
        return await self._send(place, replies)

    async def _send(self, place: Place, replies: Sequence[Reply]) -> str:
        """The id of the last activity sent, "" when the Connector gave none."""
        stored = await self._reference(place)
        if stored is None:
            log.warning(
                "%s for %s; %d replies not sent", NO_REFERENCE, place.channel_id, len(replies)
            )
            raise DeliveryError(NO_REFERENCE, permanent=True)
        messages = cards.render(replies, await names_for(replies, self._references))
        failures: list[BaseException] = []
        ids: list[str] = []

        async def post(context: TurnContext) -> None:
            """Errors are kept, not raised: the SDK would hand them to the turn-error handler,
            which answers "something went wrong" into the very conversation that failed."""
            try:
                for message in messages:
                    sent = await self._delivery.send(context, message)
                    ids.append(sent.id if sent is not None and sent.id else "")
            except Exception as error:
                failures.append(error)

        try:
            await self._continue(stored, post, place.thread_id)
        except Exception as error:
            failures.append(error)
        if failures:
            raise self._failed(failures[0], place, len(replies)) from None
        return ids[-1] if ids else ""

    def _failed(self, error: BaseException, place: Place, count: int) -> DeliveryError:
        if isinstance(error, (ClientError, TimeoutError)):
            log.warning("could not send %d replies to Teams %s", count, place.channel_id)
        else:
            log.error(
                "sending %d replies to Teams %s failed", count, place.channel_id, exc_info=error
            )
        return delivery_error(error)

    async def _continue(
        self,
        stored: TeamsReference,
        post: Callable[[TurnContext], Awaitable[None]],
        thread: str = "",
    ) -> None:
        """A new message in the conversation, or a reply to the message `thread` names (an Ask
        framed from a message is announced under it)."""
        reference = ConversationReference.model_validate(stored.reference)
        continuation = reference.get_continuation_activity()
        continuation.id = thread or None
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


def delivery_error(error: BaseException) -> DeliveryError:
    """Busy answers and network trouble are worth a later retry; 403/404 never get better."""
    if not isinstance(error, ClientResponseError):
        return DeliveryError(type(error).__name__)
    wait = retry_after(error.headers) if error.status == 429 else None
    message = f"Teams answered {error.status}"
    return DeliveryError(message, retry_after=wait, permanent=error.status in GONE)
