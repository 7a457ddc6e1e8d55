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
from adapters.notifications import Notifications, build_notifications
from adapters.outbox import RoutingOutbox
from bot.ask_commands import AskCommands
from bot.commands import Commands
from bot.config import Settings
from bot.conversation.engine import Conversations
from bot.digest.model import MentionLookup
from bot.filing import Filer, FilingWorker
from bot.flows.ask import ASK
from bot.flows.outcome import RECORD_OUTCOME
from bot.flows.work import FLOWS as LINKED_FLOWS
from bot.flows.work import KINDS as LINKED_KINDS
from bot.lifecycle.linking import LinkedFiling
from bot.lifecycle.outcome_replies import OutcomeAction
from bot.linked_commands import LinkedCommands
from bot.people_commands import PeopleCommands, parse_admins
from bot.ports import PeopleStore, Tracker
from storage.asks import SqlAskStore
from storage.database import Database
from storage.drafts import SqlDraftStore
from storage.links import SqlLinkStore
from storage.local_tracker import LocalTracker
from storage.stats import SqlStats

log = logging.getLogger(__name__)

FLOWS = {ASK.name: ASK, **LINKED_FLOWS}
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
    links: SqlLinkStore
    linked: LinkedCommands
    """The form style of `data 12` etc., for Teams cards and Slack modals."""
    notifications: Notifications
    digest: DigestParts


def build_tracker(
    settings: Settings, database: Database, metrics: Metrics | None = None
) -> Tracker:
    """GitHub when configured (its traffic counted in `metrics`, if given), else local."""
    if settings.uses_github:
        outbound = metrics.outbound("github") if metrics is not None else None
        return GitHubTracker.from_settings(settings, outbound)
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
    metrics = Metrics(SqlStats(database).backlog)
    tracker = build_tracker(settings, database, metrics)
    links = SqlLinkStore(database)
    linking = LinkedFiling(tracker=tracker, links=links, kinds=LINKED_KINDS)
    outcome = OutcomeAction(tracker=tracker, links=links)
    filer = Filer(tracker=tracker, drafts=drafts, asks=asks, flows=FLOWS,
                  after_filed=linking.hooks(), actions={RECORD_OUTCOME: outcome})  # fmt: skip
    worker = FilingWorker(
        drafts=drafts, filer=filer, outbox=outbox, lease_seconds=settings.dslp_filing_lease_seconds
    )
    conversations = Conversations(drafts=drafts, flows=FLOWS, on_submitted=worker.kick)
    commands = Commands(conversations)
    AskCommands(
        commands=commands, asks=asks, drafts=drafts, repository=tracker.repository
    ).register()
    linked = LinkedCommands(commands=commands, tracker=tracker, links=links, drafts=drafts)
    linked.register()
    notifications = _notifications(settings, database, asks, tracker, outbox, commands)
    digest = build_digest(
        settings,
        database=database,
        tracker=tracker,
        commands=commands,
        outbox=outbox,
        lookup=_member_for_login(notifications.people),
    )
    return App(
        settings, database, drafts, asks, tracker, commands, worker, outbox, metrics,
        links, linked, notifications, digest,
    )  # fmt: skip


def _member_for_login(people: PeopleStore) -> MentionLookup:
    """Digest owners become real mentions for people who ran `link github <login>`."""

    async def lookup(login: str) -> str | None:
        members = (await people.members_for_logins(logins=[login])).get(login, ())
        return members[0] if members else None

    return lookup


def _notifications(
    settings: Settings,
    database: Database,
    asks: SqlAskStore,
    tracker: Tracker,
    outbox: RoutingOutbox,
    commands: Commands,
) -> Notifications:
    """Lifecycle events, who-is-who commands and the notification worker."""
    repository = settings.github_repository or tracker.repository
    notifications = build_notifications(
        database=database,
        asks=asks,
        tracker=tracker,
        outbox=outbox,
        config_path=settings.dslp_notify_config,
        repository=repository,
    )
    PeopleCommands(
        commands=commands,
        people=notifications.people,
        repository=repository,
        admins=parse_admins(settings.dslp_admins),
    ).register()
    return notifications
