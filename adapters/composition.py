"""The composition root: the one place that builds and wires every part.

`dslp-bot chat` and `dslp-bot serve` both start here, so the console and
the chat platforms run exactly the same core against the same storage.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from adapters.digest import DigestParts, build_digest
from adapters.github.tracker import GitHubTracker
from adapters.metrics import Metrics
from adapters.outbox import RoutingOutbox
from bot.ask_commands import AskCommands
from bot.commands import Commands
from bot.config import Settings
from bot.conversation.engine import Conversations
from bot.filing import Filer, FilingWorker
from bot.flows.ask import ASK
from bot.ports import Tracker
from storage.asks import SqlAskStore
from storage.database import Database
from storage.drafts import SqlDraftStore
from storage.local_tracker import LocalTracker

log = logging.getLogger(__name__)

FLOWS = {ASK.name: ASK}
LOCAL_TRACKER_NOTE = (
    "No GITHUB_TOKEN and GITHUB_REPOSITORY set: issues are kept by the local tracker "
    "in %s (offline mode)."
)


@dataclass
class App:
    settings: Settings
    database: Database
    drafts: SqlDraftStore
    asks: SqlAskStore
    tracker: Tracker
    commands: Commands
    worker: FilingWorker
    outbox: RoutingOutbox
    metrics: Metrics
    digest: DigestParts | None = None


def build_tracker(settings: Settings, database: Database) -> Tracker:
    if settings.uses_github:
        return GitHubTracker.from_settings(settings)
    issues_dir = settings.dslp_data_dir / "issues"
    log.warning(LOCAL_TRACKER_NOTE, issues_dir)
    return LocalTracker(database, issues_dir)


def build(settings: Settings) -> App:
    """Wire the app. Filing always runs after the answer (`worker.kick`), never inside it.

    Chat adapters register their senders on `App.outbox` for their platform.
    """
    outbox = RoutingOutbox()
    database = Database(settings.database_url)
    database.migrate()
    drafts = SqlDraftStore(database)
    asks = SqlAskStore(database)
    tracker = build_tracker(settings, database)
    filer = Filer(tracker=tracker, drafts=drafts, asks=asks, flows=FLOWS)
    worker = FilingWorker(drafts=drafts, filer=filer, outbox=outbox)
    conversations = Conversations(drafts=drafts, flows=FLOWS, on_submitted=worker.kick)
    commands = Commands(conversations)
    AskCommands(
        commands=commands, asks=asks, drafts=drafts, repository=tracker.repository
    ).register()
    app = App(settings, database, drafts, asks, tracker, commands, worker, outbox, Metrics())
    app.digest = build_digest(
        settings, database=database, tracker=tracker, commands=commands, outbox=outbox
    )
    return app
