"""`dslp-bot backfill [--repo owner/repo]`: read the issue-event history, with a progress bar.

Interrupted (Ctrl-C, a GitHub failure that outlasts the retries), it keeps
what it read; run it again and it goes on from the page where it stopped.
"""

from __future__ import annotations

from typing import TextIO

from adapters.composition.github import build_github
from adapters.composition.insights import build_backfill
from adapters.console.progress import ProgressBar
from bot.config import Settings
from bot.insights.backfill import Backfill, Backfilled
from bot.ports import TrackerError
from storage.database import Database

DONE = "{repository}: {pages} page(s) read, {added} new event(s); history since {since}"
FAILED = "{repository}: stopped ({reason}); run it again to go on from where it stopped"
NO_GITHUB = "backfill reads GitHub: set GITHUB_TOKEN or a GitHub App (see the README)"


async def backfill_all(settings: Settings, database: Database, repo: str, out: TextIO) -> int:
    if not settings.uses_github and not settings.uses_github_app:
        print(NO_GITHUB, file=out)
        return 2
    github = build_github(settings, database)
    _, backfill = build_backfill(database, github.trackers)
    names = [repo] if repo else [served.full_name for served in await github.registry.served()]
    failed = 0
    for name in names:
        failed += not await backfill_one(backfill, name, out)
    return 1 if failed else 0


async def backfill_one(backfill: Backfill, repository: str, out: TextIO) -> bool:
    bar = ProgressBar(repository, out)
    try:
        done = await backfill.run(repository, bar)
    except TrackerError as error:
        bar.close()
        print(FAILED.format(repository=repository, reason=error.message), file=out)
        return False
    bar.close()
    print(summary(done), file=out)
    return True


def summary(done: Backfilled) -> str:
    since = done.earliest.date().isoformat() if done.earliest else "(nothing yet)"
    return DONE.format(repository=done.repository, pages=done.pages, added=done.added, since=since)
