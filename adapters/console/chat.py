"""`dslp-bot chat`: the real conversation core in a terminal.

Interactive on a TTY; with piped input it reads one answer per line, so a
whole Ask can be scripted. The chat waits for filing, so the issue number is
printed before the program ends.
"""

from __future__ import annotations

import asyncio
import getpass
import sys
from collections.abc import Sequence
from typing import TextIO

from adapters.console.render import format_reply
from bot.commands import Commands
from bot.filing import FilingWorker
from bot.types import Person, Place, Platform, Reply, ShowFiled

PLACE = Place(platform=Platform.CONSOLE, channel_id="terminal", team_id="local")
SAVED_FOR_LATER = "\nYour draft is saved. Run `dslp-bot chat` again to pick up where you left off."
CONTEXT = {"origin": "the dslp-bot console"}


def console_person() -> Person:
    user = getpass.getuser() or "local"
    return Person(platform=Platform.CONSOLE, user_id=user, team_id="local", name=user)


class ConsoleOutbox:
    """Prints replies that arrive outside a request (the filing result)."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self.filed: list[ShowFiled] = []

    async def send(self, *, place: Place, replies: Sequence[Reply]) -> None:
        self.filed += [reply for reply in replies if isinstance(reply, ShowFiled)]
        show(replies, self._out)


def show(replies: Sequence[Reply], out: TextIO) -> None:
    for reply in replies:
        print(format_reply(reply), file=out, end="\n\n")
    out.flush()


async def read_line(source: TextIO, interactive: bool) -> str | None:
    if interactive:
        try:
            return await asyncio.to_thread(input, "> ")
        except EOFError:
            return None
    line = await asyncio.to_thread(source.readline)
    return line.rstrip("\n") if line else None


async def chat(
    commands: Commands,
    outbox: ConsoleOutbox,
    *,
    filing: FilingWorker,
    source: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    person: Person | None = None,
) -> int:
    """Run one Ask conversation; returns the process exit code.

    Filing runs in the background as on a server; the chat waits for it after
    showing the replies, so the issue number is printed before it ends.
    """
    who = person or console_person()
    interactive = source.isatty()
    show(await commands.run(person=who, place=PLACE, text="ask", context=CONTEXT), out)
    while not outbox.filed:
        line = await read_line(source, interactive)
        if line is None:
            print(SAVED_FOR_LATER, file=out)
            return 0
        show(await commands.message(person=who, place=PLACE, text=line, context=CONTEXT), out)
        await filing.drain()
        if await commands.conversations.current(who) is None and not outbox.filed:
            return 0
    return 0
