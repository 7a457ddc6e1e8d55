"""Wiring of the lifecycle: events in, who-is-who, notifications out."""

from __future__ import annotations

from pathlib import Path

from adapters.notifications import DeliveryWorker, DurableReplies, Notifications, Sender
from bot.lifecycle.config import parse_notify_config
from bot.lifecycle.rules import NotifyConfig
from bot.lifecycle.service import Lifecycle
from bot.playbook.edits import ProjectEdits
from bot.playbook.follow import Follow
from bot.ports import AskStore
from bot.repositories.ports import Trackers
from storage.database import Database
from storage.events import SqlEventJournal
from storage.inbox import SqlInbox
from storage.insights import SqlHistory
from storage.people import SqlPeopleStore


def load_notify_config(path: str) -> NotifyConfig:
    """DSLP_NOTIFY_CONFIG: a .json file is JSON, anything else TOML; unset means defaults."""
    if not path:
        return NotifyConfig()
    file = Path(path)
    return parse_notify_config(file.read_text(encoding="utf-8"), is_json=file.suffix == ".json")


def build_notifications(
    *,
    database: Database,
    asks: AskStore,
    trackers: Trackers,
    worker: DeliveryWorker,
    config_path: str,
    repository: str,
    follow: Follow | None = None,
    projects: ProjectEdits | None = None,
) -> Notifications:
    """`worker` is built first (`build_delivery`): filing queues its replies there too."""
    config = load_notify_config(config_path)
    people = SqlPeopleStore(database)
    journal = worker.journal
    lifecycle = Lifecycle(
        asks=asks,
        people=people,
        journal=journal,
        trackers=trackers,
        config=config,
        repository=repository,
    )
    return Notifications(
        people=people,
        journal=journal,
        lifecycle=lifecycle,
        worker=worker,
        config=config,
        inbox=SqlInbox(database),
        history=SqlHistory(database),
        follow=follow,
        projects=projects,
    )


def build_delivery(
    database: Database, outbox: Sender, *, coalesce_after: int
) -> tuple[DeliveryWorker, DurableReplies]:
    """One durable queue for notifications and the replies of background work (filing)."""
    journal = SqlEventJournal(database)
    worker = DeliveryWorker(journal=journal, outbox=outbox, coalesce_after=coalesce_after)
    return worker, DurableReplies(journal, worker)
