"""The composition root: the one place that builds and wires every part.

`dslp-bot chat` and `dslp-bot serve` both start here, so the console and
the chat platforms run exactly the same core against the same storage.
The lifecycle and the digest are wired by `notifications.py` and
`digest.py` beside this module; adapters' mounts only read the `App`.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from adapters.app import App, PlatformStores
from adapters.composition.digest import build_digest, utc_now
from adapters.composition.github import build_github, user_token_trackers
from adapters.composition.identity import build_identities, build_permissions
from adapters.composition.insights import build_insights
from adapters.composition.notifications import build_delivery, build_notifications
from adapters.github.projects import GitHubProjectItems
from adapters.github.structure import TrackerStructures
from adapters.logs import OUTAGES
from adapters.metrics import Metrics
from adapters.notifications import DeliveryWorker, DurableReplies, Notifications
from adapters.outbox import RoutingOutbox
from bot.ask.commands import AskCommands
from bot.ask.unattended import UnattendedAsks
from bot.commands import Commands
from bot.config import Settings
from bot.conversation.engine import Conversations
from bot.digest.follows import Followed
from bot.digest.model import MentionLookup
from bot.filing import Filer, FilingWorker, Retry
from bot.flows.ask import ASK
from bot.flows.outcome import RECORD_OUTCOME
from bot.linked.commands import LinkedCommands
from bot.linked.filing import LinkedFiling
from bot.linked.kinds import FLOWS as LINKED_FLOWS
from bot.linked.kinds import KINDS as LINKED_KINDS
from bot.linked.outcome_replies import OutcomeAction
from bot.people.commands import PeopleCommands, parse_admins
from bot.playbook.commands import PlaybookCommands
from bot.playbook.edits import ProjectEdits
from bot.playbook.follow import Follow, Following, HandOpened, ProjectPhase
from bot.playbook.service import Playbook
from bot.ports import PeopleStore, Tracker
from bot.repositories.homes import Homes
from bot.repositories.ports import Trackers
from bot.repositories.showing import Showing
from bot.types import Scope
from storage.asks import SqlAskStore
from storage.database import Database
from storage.drafts import SqlDraftStore
from storage.events import SqlPollCursors
from storage.linked import SqlLinkStore
from storage.people import SqlChannelRepositories, SqlPeopleStore
from storage.playbook import SqlPlaybookStore
from storage.slack_events import SqlSlackEvents
from storage.stats import SqlStats
from storage.teams_references import SqlTeamsReferences

log = logging.getLogger(__name__)

FLOWS = {ASK.name: ASK, **LINKED_FLOWS}


def build_tracker(settings: Settings, database: Database) -> Tracker:
    """The default repository's tracker (`dslp-bot init`)."""
    return build_github(settings, database).trackers.default


def build(settings: Settings) -> App:
    """Wire the app. Filing always runs after the answer (`worker.kick`), never inside it.

    Chat adapters register their senders on `App.outbox` for their platform.
    """
    outbox = RoutingOutbox()
    database = Database(settings.database_url)
    metrics = Metrics(SqlStats(database).backlog, OUTAGES)
    try:
        database.migrate()
        github = build_github(settings, database, metrics.outbound("github"))
    except Exception:  # a bad App key, a database that will not migrate: no pool left open
        database.dispose()
        raise
    drafts, asks, links = SqlDraftStore(database), SqlAskStore(database), SqlLinkStore(database)
    tracker = github.trackers.default
    delivery, replies = build_delivery(
        database, outbox, coalesce_after=settings.dslp_coalesce_after
    )
    playbook = Playbook(
        structures=TrackerStructures(),
        store=SqlPlaybookStore(database),
        project=settings.dslp_project,
        project_field=settings.dslp_project_field,
    )
    worker = _filing_worker(
        settings,
        replies=replies,
        drafts=drafts,
        asks=asks,
        trackers=github.trackers,
        links=links,
        playbook=playbook,
    )
    subscribed = SqlPeopleStore(database)
    homes = Homes(
        registry=github.registry, store=SqlChannelRepositories(database), subscribed=subscribed
    )
    showing = Showing(trackers=github.trackers, subscribed=subscribed)
    conversations = Conversations(
        drafts=drafts,
        flows=FLOWS,
        on_submitted=worker.kick,
        home=homes.home,
        choices=homes.choices,
    )
    commands = Commands(conversations)
    commands.locate(homes)
    admins = parse_admins(settings.dslp_admins)
    identities = build_identities(
        settings, database=database, queue=replies, commands=commands, admins=admins
    )
    if settings.uses_github_app:
        github.trackers.act_as(user_token_trackers(settings, identities, metrics))
    github.trackers.name_with(identities)
    permissions = build_permissions(
        settings,
        identities=identities,
        commands=commands,
        github=github,
        admins=admins,
    )
    AskCommands(
        commands=commands,
        asks=asks,
        drafts=drafts,
        repository=tracker.repository,
        showing=showing,
    ).register()
    linked = LinkedCommands(
        commands=commands, trackers=github.trackers, links=links, drafts=drafts, playbook=playbook
    )
    linked.register()
    PlaybookCommands(
        commands=commands,
        playbook=playbook,
        store=SqlPlaybookStore(database),
        mutes=asks,
        repository=tracker.repository,
    ).register()
    notifications = _notifications(
        settings,
        database=database,
        asks=asks,
        trackers=github.trackers,
        delivery=delivery,
        commands=commands,
        homes=homes,
        follow=Following(
            (
                HandOpened(playbook=playbook, trackers=github.trackers),
                ProjectPhase(playbook=playbook, trackers=github.trackers),
            )
        ),
        projects=ProjectEdits(
            playbook=playbook,
            items=GitHubProjectItems(registry=github.registry, trackers=github.trackers),
            trackers=github.trackers,
            permissions=permissions,
        ),
        showing=showing,
    )
    digest = build_digest(
        settings,
        database=database,
        tracker=tracker,
        commands=commands,
        queue=replies,
        sources=Followed(
            home=homes.home, subscribed=subscribed, showing=showing, trackers=github.trackers
        ),
        lookup=_member_for_login(notifications.people),
    )
    insights = build_insights(
        settings,
        database=database,
        trackers=github.trackers,
        showing=showing,
        commands=commands,
        queue=replies,
        home=homes.home,
        clock=utc_now,
    )
    return App(
        settings=settings,
        database=database,
        flows=FLOWS,
        drafts=drafts,
        asks=asks,
        tracker=tracker,
        trackers=github.trackers,
        repositories=github.registry,
        commands=commands,
        worker=worker,
        outbox=outbox,
        metrics=metrics,
        links=links,
        linked=linked,
        notifications=notifications,
        digest=digest,
        insights=insights,
        platforms=_platform_stores(database),
        identities=identities,
        permissions=permissions,
        unattended=UnattendedAsks(conversations=conversations, filer=worker.filer),
        github_app=github.app,
    )


def _filing_worker(
    settings: Settings,
    *,
    replies: DurableReplies,
    drafts: SqlDraftStore,
    asks: SqlAskStore,
    trackers: Trackers,
    links: SqlLinkStore,
    playbook: Playbook,
) -> FilingWorker:
    """One Filer for every flow: linked kinds add their after-filed hook, outcomes an action.

    Each draft files into the repository it records (bot.repositories.homes)."""
    linking = LinkedFiling(trackers=trackers, links=links, kinds=LINKED_KINDS, playbook=playbook)
    outcome = OutcomeAction(trackers=trackers, links=links, playbook=playbook)
    filer = Filer(
        trackers=trackers,
        drafts=drafts,
        asks=asks,
        flows=FLOWS,
        after_filed=linking.hooks(),
        actions={RECORD_OUTCOME: outcome},
    )
    return FilingWorker(
        drafts=drafts,
        filer=filer,
        queue=replies,
        lease_seconds=settings.dslp_filing_lease_seconds,
        retry=Retry(
            give_up=timedelta(hours=settings.dslp_filing_give_up_hours),
            first=settings.dslp_filing_retry_seconds,
        ),
    )


def _platform_stores(database: Database) -> PlatformStores:
    return PlatformStores(
        slack_events=SqlSlackEvents(database),
        teams_references=SqlTeamsReferences(database),
        poll_cursors=SqlPollCursors(database),
    )


def _member_for_login(people: PeopleStore) -> MentionLookup:
    """Digest owners become real mentions for people who signed in with `link github`."""

    async def lookup(scope: Scope, login: str) -> str | None:
        found = await people.members_for_logins(scope=scope, logins=[login])
        members = found.get(login.casefold(), ())
        return members[0] if members else None

    return lookup


def _notifications(
    settings: Settings,
    *,
    database: Database,
    asks: SqlAskStore,
    trackers: Trackers,
    delivery: DeliveryWorker,
    commands: Commands,
    homes: Homes,
    follow: Follow,
    showing: Showing,
    projects: ProjectEdits,
) -> Notifications:
    """Lifecycle events, who-is-who commands and the notification worker."""
    repository = settings.github_repository or trackers.default.repository
    notifications = build_notifications(
        database=database,
        asks=asks,
        trackers=trackers,
        worker=delivery,
        config_path=settings.dslp_notify_config,
        repository=repository,
        follow=follow,
        projects=projects,
    )
    PeopleCommands(
        commands=commands,
        people=notifications.people,
        repository=repository,
        showing=showing,
        homes=homes,
    ).register()
    return notifications
