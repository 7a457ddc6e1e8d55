"""The `ask` and `status` commands."""

from __future__ import annotations

from bot.commands import Command, Commands, Request
from bot.flows.ask import ASK
from bot.permissions.model import ANYONE, READ, Need
from bot.ports import AskStore, DraftStore
from bot.repositories.references import named_repository, parse_issue
from bot.repositories.showing import Showing
from bot.texts import commands as t
from bot.texts import conversation as ct
from bot.types import FiledAsk, Person, Reply, Say


class AskCommands:
    def __init__(
        self,
        *,
        commands: Commands,
        asks: AskStore,
        drafts: DraftStore,
        repository: str,
        showing: Showing,
    ) -> None:
        self._commands = commands
        self._asks = asks
        self._drafts = drafts
        self._repository = repository
        self._showing = showing

    def register(self) -> None:
        self._commands.register(Command("ask", t.ASK_USAGE, t.ASK_SUMMARY, self.ask))
        self._commands.register(
            Command(
                "status",
                t.STATUS_USAGE,
                t.STATUS_SUMMARY,
                self.status,
                self.status_needs,
                named_repository,
            )
        )

    async def ask(self, request: Request) -> list[Reply]:
        return await self._commands.conversations.start(
            person=request.person,
            place=request.place,
            flow_name=ASK.name,
            initial=request.args,
            context=request.context,
        )

    async def status_needs(self, request: Request) -> Need:
        """Your own Asks need nothing; someone else's issue needs read access to the repository."""
        ref = parse_issue(request.args) if request.args.strip() else None
        if ref is None:
            return ANYONE
        ask = await self._asks.by_number(repository=self._where(request), number=ref.number)
        return ANYONE if ask is not None and ask.requester == request.person.key else READ

    def _where(self, request: Request) -> str:
        """The command's repository (the one it names, else the channel's), resolved by
        `Commands`; the default when nothing resolved it."""
        return request.repository or self._repository

    async def status(self, request: Request) -> list[Reply]:
        if request.args:
            return await self._one(request, self._where(request))
        asks = await self._asks.by_requester(requester=request.person.key)
        drafts = await self._drafts.list_open(owner=request.person.key)
        if not asks and not drafts:
            return [Say(t.STATUS_NONE)]
        lines: list[str] = []
        if asks:
            lines.append(t.STATUS_HEADER)
            lines += [
                t.STATUS_ASK.format(
                    number=a.issue_number, title=a.title, url=a.issue_url, phase=a.phase
                )
                for a in asks
            ]
        if drafts:
            lines.append(t.STATUS_DRAFTS)
            lines += [
                t.STATUS_DRAFT.format(
                    title=d.answers.get("title", ct.UNTITLED),
                    answered=len(d.answers),
                    total=len(ASK.steps),
                )
                for d in drafts
            ]
        return [Say("\n".join(lines))]

    async def _one(self, request: Request, repository: str) -> list[Reply]:
        """Someone else's Ask is shown in a channel only where its repository may be shown
        (bot.repositories.showing); the gate has checked the person's own read access."""
        text, person = request.args, request.person
        ref = parse_issue(text)
        if ref is None:
            return [Say(t.STATUS_BAD_NUMBER.format(text=text.strip()[:40]))]
        number = ref.number
        ask = await self._asks.by_number(repository=repository, number=number)
        if ask is None or not visible_to(ask, person):
            return [Say(t.STATUS_NOT_FOUND.format(number=number, repository=repository))]
        own = ask.requester == person.key
        if not own and not await self._showing.may_show(repository=repository, place=request.place):
            return [Say(t.STATUS_NOT_SHOWN.format(number=number, repository=repository))]
        requester = ask.requester_name or ask.requester
        return [
            Say(
                t.STATUS_ONE.format(
                    number=number,
                    title=ask.title,
                    url=ask.issue_url,
                    requester=requester,
                    phase=ask.phase,
                )
            )
        ]


def visible_to(ask: FiledAsk, person: Person) -> bool:
    """Its requester, and people of the scope it was filed from; to anyone else it is unknown."""
    return person.key == ask.requester or person.scope.key == ask.scope
