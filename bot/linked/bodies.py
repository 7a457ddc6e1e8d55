"""Editing issue bodies that people edit too: read, change, re-read, write; retry once.

GitHub has no conditional update for issue bodies, so the best the bot can do
is keep the window small: it re-reads right before writing and, when a person
saved in between, starts again from their version (once; then it gives up
and says so rather than overwrite anyone's words).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.ports import Tracker
from bot.render import LinkSection, parse_ask
from bot.render.link_lists import Link, update_links
from bot.types import Issue


class Edited(StrEnum):
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    MISSING = "missing"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class EditResult:
    status: Edited
    issue: Issue | None = None

    @property
    def ok(self) -> bool:
        return self.status in (Edited.UPDATED, Edited.UNCHANGED)


async def edit_body(
    tracker: Tracker, *, number: int, change: Callable[[str], str], attempts: int = 2
) -> EditResult:
    """Apply `change` (a pure function of the body) to the issue's current body.

    `change` must be idempotent: a body it already changed is left alone, so
    running this again after a crash writes nothing.
    """
    issue = await tracker.get_issue(number=number)
    for _ in range(attempts):
        if issue is None:
            return EditResult(Edited.MISSING)
        body = change(issue.body)
        if body == issue.body:
            return EditResult(Edited.UNCHANGED, issue)
        fresh = await tracker.get_issue(number=number)
        if fresh is not None and fresh.body == issue.body:
            return EditResult(Edited.UPDATED, await tracker.edit_issue(number=number, body=body))
        issue = fresh
    return EditResult(Edited.CONFLICT, issue)


def with_link(existing: Sequence[Link], link: Link, *, keep_status: bool) -> list[Link]:
    """The list with `link` in it (in place if listed); `keep_status` keeps a known outcome."""
    links = list(existing)
    for i, old in enumerate(links):
        if old.number == link.number:
            keep = keep_status and bool(old.status)
            status, tldr = (old.status, old.tldr) if keep else (link.status, link.tldr)
            links[i] = Link(link.number, link.title or old.title, status, tldr)
            return links
    return [*links, link]


def listing(section: LinkSection, link: Link, *, keep_status: bool) -> Callable[[str], str]:
    """A body change that lists `link` in one of the Ask's lists, leaving all else as it is."""

    def change(body: str) -> str:
        listed = parse_ask("", body).links.get(section, [])
        return update_links(body, section, with_link(listed, link, keep_status=keep_status))

    return change


async def list_in_ask(
    tracker: Tracker, *, ask: int, section: LinkSection, link: Link, keep_status: bool = False
) -> EditResult:
    """List (or re-list with a new status) a linked issue in its Ask; idempotent."""
    return await edit_body(
        tracker, number=ask, change=listing(section, link, keep_status=keep_status)
    )
