"""The notification worker (and the GitHub poller, when configured) tied to the server's life.

Not a route: whatever records notifications (the webhook, the poller), this
is what sends them, every few seconds and after each kick.
"""

from __future__ import annotations

from adapters.composition import App
from adapters.periodic import Periodic
from adapters.web import Hook, Mount

DELIVERY_SWEEP_SECONDS = 5.0


def notifications_mount(app: App) -> Mount | str:
    notifications = app.notifications
    if notifications is None:
        return "notifications are not wired"
    sweep = Periodic("notification delivery", notifications.worker.run_once, DELIVERY_SWEEP_SECONDS)
    starts: list[Hook] = [_start(sweep)]
    stops: list[Hook] = [sweep.stop, notifications.worker.drain]
    return Mount("notifications", (), on_startup=starts, on_cleanup=stops)


def _start(periodic: Periodic) -> Hook:
    async def start() -> None:
        periodic.start()

    return start
