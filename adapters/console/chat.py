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
from pathlib import Path
from typing import TextIO

from adapters.app import App
from adapters.console.render import format_chart_path, format_reply
from bot.commands import Commands
from bot.filing import FilingWorker
from bot.types import Person, Place, Platform, Reply, ShowChart, ShowFiled

PLACE = Place(platform=Platform.CONSOLE, channel_id="terminal", team_id="local")
SAVED_FOR_LATER = "\nYour draft is saved. Run `dslp-bot chat` again to pick up where you left off."
CONTEXT = {"origin": "the dslp-bot console"}
CHARTS = Path("data") / "charts"


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


def show(replies: Sequence[Reply], out: TextIO, charts: Path = CHARTS) -> None:
    """Each reply as text; a chart's picture is written under `charts` and its path printed."""
    for reply in replies:
        print(format_reply(reply), file=out, end="\n\n")
        if isinstance(reply, ShowChart):
            print(format_chart_path(str(save_chart(reply, charts))), file=out, end="\n\n")
    out.flush()


def save_chart(reply: ShowChart, charts: Path) -> Path:
    charts.mkdir(parents=True, exist_ok=True)
    path = charts / Path(reply.name).name  # the name is ours, but never a path elsewhere
    path.write_bytes(reply.image)
    return path.resolve()


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


async def one_command(
    app: App,
    text: str,
    *,
    charts: Path = CHARTS,
    out: TextIO = sys.stdout,
    person: Person | None = None,
) -> int:
    """`dslp-bot chat stats 90d`: one command, as typed in a channel, then exit. Work it
    started in the background (filing an outcome, a backfill) is waited for."""
    who = person or console_person()
    show(await app.commands.run(person=who, place=PLACE, text=text, context=CONTEXT), out, charts)
    await app.worker.drain()
    await app.insights.service.drain()
    return 0
