"""The wired app and the mount type: what every adapter receives, with no wiring of its own.

A leaf on purpose: adapters import these types without importing the
composition root (`adapters/composition/`), which imports them all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from aiohttp import web

from adapters.github.app import GitHubApp
from adapters.metrics import Metrics
from adapters.notifications import Notifications
from adapters.outbox import RoutingOutbox
from bot.ask.unattended import UnattendedAsks
from bot.commands import Commands
from bot.config import Settings
from bot.digest.commands import DigestCommands
from bot.digest.service import DigestBuilder, DigestRunner
from bot.filing import FilingWorker
from bot.flows.spec import Flow
from bot.identity.service import Identities
from bot.insights.backfill import Backfill
from bot.insights.commands import InsightsCommands
from bot.insights.service import InsightsService
from bot.linked.commands import LinkedCommands
from bot.permissions.service import Permissions
from bot.ports import Tracker
from bot.repositories.ports import Registry, Trackers
from storage.asks import SqlAskStore
from storage.database import Database
from storage.digest import SqlRunStore, SqlSnoozeStore, SqlSubscriptionStore
from storage.drafts import SqlDraftStore
from storage.events import SqlPollCursors
from storage.insights import SqlHistory
from storage.linked import SqlLinkStore
from storage.slack_events import SqlSlackEvents
from storage.teams_references import SqlTeamsReferences

Hook = Callable[[], Awaitable[None]]


@dataclass(kw_only=True)
class DigestParts:
    subscriptions: SqlSubscriptionStore
    snoozes: SqlSnoozeStore
    runs: SqlRunStore
    builder: DigestBuilder
    runner: DigestRunner
    commands: DigestCommands
    resync_seconds: float


@dataclass(kw_only=True)
class InsightsParts:
    store: SqlHistory
    backfill: Backfill
    service: InsightsService
    runner: DigestRunner
    """The weekly post's runner (the digest's, with the insights as what it builds)."""
    commands: InsightsCommands


@dataclass(kw_only=True)
class PlatformStores:
    """What the chat platforms and the poller keep; built here so no mount builds storage."""

    slack_events: SqlSlackEvents
    teams_references: SqlTeamsReferences
    poll_cursors: SqlPollCursors


@dataclass(kw_only=True)
class App:
    settings: Settings
    database: Database
    flows: Mapping[str, Flow]
    """Every flow by name (the Ask's and linked work's): conversations and forms alike."""
    drafts: SqlDraftStore
    asks: SqlAskStore
    tracker: Tracker
    """The default repository's (GITHUB_REPOSITORY), as `trackers.default`."""
    trackers: Trackers
    """A tracker per served repository, for commands that name `owner/repo#N`."""
    repositories: Registry
    """Which repositories are served; in App mode kept by the installation webhooks."""
    commands: Commands
    worker: FilingWorker
    outbox: RoutingOutbox
    metrics: Metrics
    links: SqlLinkStore
    linked: LinkedCommands
    """The form style of `data 12` etc., for Teams cards and Slack modals."""
    notifications: Notifications
    digest: DigestParts
    insights: InsightsParts
    platforms: PlatformStores
    identities: Identities
    """Verified people: sign-in links, the sign-in pages' work, user tokens."""
    permissions: Permissions
    """What GitHub lets each verified person do (the gate every command passes)."""
    unattended: UnattendedAsks
    """Asks filed at once with nobody at the keyboard (a Slack workflow step)."""
    github_app: GitHubApp | None = None
    """In GitHub App mode: the app's own (JWT) calls, such as its webhook's deliveries."""


@dataclass(frozen=True)
class Mount:
    """An adapter's routes and start/stop hooks, as `dslp-bot serve` mounts them."""

    name: str
    routes: Sequence[web.RouteDef]
    on_startup: Sequence[Hook] = ()
    on_cleanup: Sequence[Hook] = ()


MountFactory = Callable[[App], "Mount | str"]
