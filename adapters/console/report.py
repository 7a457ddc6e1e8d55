"""`dslp-bot report [--repo owner/repo] [--out report.html] [--period quarter]`: the stored
history of each repository as one self-contained HTML page (bot/insights/report.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TextIO

from adapters.composition.digest import utc_now
from adapters.composition.github import build_github
from adapters.composition.insights import build_backfill
from bot.config import Settings
from bot.insights.chart import draw
from bot.insights.model import Insights
from bot.insights.report import page
from bot.insights.service import InsightsService
from storage.database import Database

WROTE = "wrote {path}"
SINCE = "{repository}: history since {since}"
NOTHING = "{repository}: no history yet (run `dslp-bot backfill --repo {repository}`)"
BAD_PERIOD = "unknown period {period!r}: use 30d, 90d, quarter or all"


async def write_report(
    settings: Settings, database: Database, *, repo: str, out: Path, period: str, say: TextIO
) -> int:
    github = build_github(settings, database)
    store, backfill = build_backfill(database, github.trackers)
    service = InsightsService(store=store, backfill=backfill, clock=utc_now)
    names = [repo] if repo else [served.full_name for served in await github.registry.served()]
    sections: list[tuple[Insights, bytes]] = []
    for name in names:
        found = await service.insights(name, period)
        if found is None:
            print(BAD_PERIOD.format(period=period), file=say)
            return 2
        if found.earliest is None:
            print(NOTHING.format(repository=name), file=say)
            continue
        print(SINCE.format(repository=name, since=found.earliest.date().isoformat()), file=say)
        sections.append((found, await asyncio.to_thread(draw, found)))
    out.write_text(page(sections), encoding="utf-8")
    print(WROTE.format(path=out.resolve()), file=say)
    return 0
