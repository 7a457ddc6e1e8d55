"""`branches on|off`: whether new linked work gets its DSLP branch in this channel's repository.

`project owner/number` takes only a Project of the repository's own owner: the bot adds the
repository's issues (private ones too) to it, and another owner's Project would show them to
people the repository never let in. Write access to a repository is no say over who reads it.
"""

from __future__ import annotations

from bot.commands import Command, Commands, Handler, Request
from bot.mentions import untrusted
from bot.permissions.model import ANYONE, WRITE
from bot.playbook.model import parse_project
from bot.playbook.ports import Mutes, PlaybookStore
from bot.playbook.service import Playbook
from bot.repositories.references import named_repository, parse_issue
from bot.texts import playbook as t
from bot.types import Reply, Say


class PlaybookCommands:
    def __init__(
        self,
        *,
        commands: Commands,
        playbook: Playbook,
        store: PlaybookStore,
        mutes: Mutes,
        repository: str,
    ) -> None:
        """`repository`: the default, for a request no locator resolved (the console)."""
        self._commands = commands
        self._playbook = playbook
        self._store = store
        self._mutes = mutes
        self._repository = repository

    def register(self) -> None:
        self._commands.register(
            Command(
                "branches",
                t.BRANCHES_USAGE,
                t.BRANCHES_SUMMARY,
                self.branches,
                WRITE,
                named_repository,
            )
        )
        self._commands.register(
            Command("project", t.PROJECT_USAGE, t.PROJECT_SUMMARY, self.project, WRITE)
        )
        for word, usage, summary in (
            ("mute", t.MUTE_USAGE, t.MUTE_SUMMARY),
            ("unmute", t.UNMUTE_USAGE, t.UNMUTE_SUMMARY),
        ):
            handler = self._muting(muted=word == "mute")
            self._commands.register(
                Command(word, usage, summary, handler, ANYONE, named_repository)
            )

    async def project(self, request: Request) -> list[Reply]:
        repository = request.repository or self._repository
        word = request.args.strip()
        if not word:
            return [Say(await self._project_state(repository))]
        if word.casefold() == t.OFF:
            await self._store.set_project(repository=repository, project="", by=request.person.key)
            return [Say(t.PROJECT_OFF.format(repository=repository))]
        project = parse_project(word)
        if project is None:
            return [Say(t.PROJECT_BAD.format(text=untrusted(word[:40])))]
        if not project.owned_with(repository):
            named = untrusted(str(project))
            return [Say(t.PROJECT_NOT_OWNERS.format(project=named, repository=repository))]
        await self._store.set_project(
            repository=repository, project=str(project), by=request.person.key
        )
        return [Say(t.PROJECT_SET.format(repository=repository, project=project))]

    async def _project_state(self, repository: str) -> str:
        """The Project new work goes to, DSLP_PROJECT included; one of another owner is named
        as unused, so nobody believes their issues go there."""
        chosen = await self._playbook.chosen_project(repository)
        if chosen is None:
            return t.PROJECT_NONE.format(repository=repository)
        project = untrusted(str(chosen))
        if not chosen.owned_with(repository):
            return t.PROJECT_UNUSED.format(repository=repository, project=project)
        return t.PROJECT_STATE.format(repository=repository, project=project)

    def _muting(self, *, muted: bool) -> Handler:
        async def handle(request: Request) -> list[Reply]:
            ref = (
                parse_issue(request.args.strip().split(" ", 1)[0]) if request.args.strip() else None
            )
            if ref is None:
                return [Say(t.MUTE_BAD)]
            repository = request.repository or ref.repository or self._repository
            found = await self._mutes.set_muted(
                repository=repository, number=ref.number, requester=request.person.key, muted=muted
            )
            if found is None:
                return [Say(t.MUTE_NOT_YOURS.format(number=ref.number, repository=repository))]
            text = t.MUTED if muted else t.UNMUTED
            return [Say(text.format(number=ref.number, title=untrusted(found.title)))]

        return handle

    async def branches(self, request: Request) -> list[Reply]:
        repository = request.repository or self._repository
        words = request.args.split()
        word = next((w for w in words if "/" not in w), "").casefold()
        if not word:
            on = await self._store.branches_on(repository=repository)
            state = t.ON if on else t.OFF
            return [Say(t.BRANCHES_STATE.format(repository=repository, state=state))]
        if word not in (t.ON, t.OFF):
            return [Say(t.BRANCHES_BAD.format(word=untrusted(word[:40])))]
        on = word == t.ON
        changed = await self._store.set_branches(
            repository=repository, on=on, by=request.person.key
        )
        if on:
            text = t.BRANCHES_ON if changed else t.BRANCHES_ALREADY_ON
        else:
            text = t.BRANCHES_OFF if changed else t.BRANCHES_ALREADY_OFF
        return [Say(text.format(repository=repository))]
