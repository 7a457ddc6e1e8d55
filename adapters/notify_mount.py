"""The notification worker (and the GitHub poller, when configured) tied to the server's life.

Not a route: the webhook and the poller only fill the inbox; the ingest
worker turns inbox rows into events and notifications, and the delivery
worker sends those, every few seconds and after each kick.
"""

from __future__ import annotations

import logging

from adapters.app import App, Hook, Mount
from adapters.github.poller import ServedPoller
from adapters.github.served import ServedTrackers
from adapters.github.tracker import GitHubTracker
from adapters.notifications import Notifications
from adapters.periodic import Periodic

log = logging.getLogger(__name__)

DELIVERY_SWEEP_SECONDS = 5.0


def notifications_mount(app: App) -> Mount:
    notifications = app.notifications
    worker = notifications.worker
    sweep = Periodic("notification delivery", worker.drain_due, DELIVERY_SWEEP_SECONDS)
    periodics = [sweep, *_poller(app, notifications)]
    starts: list[Hook] = [_start(periodic) for periodic in periodics]
    starts.append(_start_ingest(notifications))
    stops: list[Hook] = [*(periodic.stop for periodic in periodics), notifications.ingest.stop]
    stops.append(notifications.worker.drain)
    return Mount("notifications", (), on_startup=starts, on_cleanup=stops)


def _poller(app: App, notifications: Notifications) -> list[Periodic]:
    """DSLP_GITHUB_POLL_SECONDS > 0 with a GitHub tracker: poll every served repository, for
    teams without a webhook."""
    seconds = app.settings.dslp_github_poll_seconds
    if seconds <= 0 or not isinstance(app.tracker, GitHubTracker):
        return []
    poller = ServedPoller(
        served=ServedTrackers(repositories=app.repositories, trackers=app.trackers),
        inbox=notifications.inbox,
        cursors=app.platforms.poll_cursors,
        worker=notifications.ingest,
    )
    log.info("polling every served repository for issue events every %ss", seconds)
    return [Periodic("github poller", poller.run_once, seconds)]


def _start_ingest(notifications: Notifications) -> Hook:
    async def start() -> None:
        notifications.ingest.start()

    return start


def _start(periodic: Periodic) -> Hook:
    async def start() -> None:
        periodic.start()

    return start
