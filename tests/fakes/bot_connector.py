"""FakeBotConnector: the Bot Framework Connector API a Teams bot replies to, on 127.0.0.1.

Activities POSTed to /api/messages name a `serviceUrl`; the bot sends its
replies there. Pointing that at this fake lets tests read every message the
bot sent (cards, text, proactive notices) and inject 429s with Retry-After.
It runs on the test's own event loop: the SDK's client is async too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count
from typing import Any

from aiohttp import web

from tests.fakes.loopback import LoopbackServer

Json = dict[str, Any]


@dataclass(frozen=True)
class Sent:
    """One call the bot made: `reply_to` is the activity id in the URL, if any."""

    method: str
    conversation_id: str
    reply_to: str
    activity: Json
    authorization: str

    @property
    def text(self) -> str:
        return str(self.activity.get("text") or "")

    @property
    def cards(self) -> list[Json]:
        return [
            a["content"]
            for a in self.activity.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    @property
    def words(self) -> str:
        """Everything readable in the message: its text and every TextBlock and button title."""
        parts = [self.text]
        for card in self.cards:
            parts += list(_card_words(card))
        return "\n".join(part for part in parts if part)


@dataclass
class Fault:
    status: int
    times: int
    headers: dict[str, str] = field(default_factory=dict)
    proactive_only: bool = False


class FakeBotConnector(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Sent] = []
        self.rejected: list[int] = []
        self.members: dict[str, Json] = {}
        """Teams id -> the account `GET .../members/{id}` answers (with its aadObjectId)."""
        self.member_lookups: list[str] = []
        self._faults: list[Fault] = []
        self._ids = count(1)

    def routes(self, app: web.Application) -> None:
        path = "/v3/conversations/{conversation_id}/activities"
        app.router.add_post(path, self._post)
        app.router.add_post(path + "/{activity_id}", self._post)
        app.router.add_put(path + "/{activity_id}", self._put)
        app.router.add_get("/v3/conversations/{conversation_id}/members/{member_id}", self._member)

    @property
    def url(self) -> str:
        """The serviceUrl activities carry."""
        return self.base + "/"

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: str | None = None,
        proactive_only: bool = False,
    ) -> None:
        """`proactive_only`: in-turn replies (to an activity id) still succeed."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        self._faults.append(Fault(status, times, headers, proactive_only))

    def to(self, conversation_id: str) -> list[Sent]:
        return [sent for sent in self.sent if sent.conversation_id == conversation_id]

    async def _post(self, request: web.Request) -> web.Response:
        return await self._record(request, "POST")

    async def _put(self, request: web.Request) -> web.Response:
        return await self._record(request, "PUT")

    async def _member(self, request: web.Request) -> web.Response:
        member_id = request.match_info["member_id"]
        self.member_lookups.append(member_id)
        member = self.members.get(member_id)
        if member is None:
            body = {"error": {"code": "MemberNotFoundInConversation", "message": "fake"}}
            return web.json_response(body, status=404)
        return web.json_response(member)

    async def _record(self, request: web.Request, method: str) -> web.Response:
        fault = self._next_fault(proactive="activity_id" not in request.match_info)
        if fault is not None:
            self.rejected.append(fault.status)
            body = {"error": {"code": "Throttled", "message": "fake fault"}}
            return web.json_response(body, status=fault.status, headers=fault.headers)
        sent = Sent(
            method=method,
            conversation_id=request.match_info["conversation_id"],
            reply_to=request.match_info.get("activity_id", ""),
            activity=await request.json(),
            authorization=request.headers.get("Authorization", ""),
        )
        self.sent.append(sent)
        return web.json_response(
            {"id": sent.reply_to if method == "PUT" else f"m{next(self._ids)}"}
        )

    def _next_fault(self, *, proactive: bool) -> Fault | None:
        for fault in self._faults:
            if fault.times > 0 and (proactive or not fault.proactive_only):
                fault.times -= 1
                return fault
        return None


def _card_words(element: Any) -> list[str]:
    """Texts and titles anywhere in a card, depth first."""
    words: list[str] = []
    if isinstance(element, dict):
        for key in ("text", "title"):
            if isinstance(element.get(key), str):
                words.append(element[key])
        for value in element.values():
            if isinstance(value, (dict, list)):
                words += _card_words(value)
    elif isinstance(element, list):
        for value in element:
            words += _card_words(value)
    return words
