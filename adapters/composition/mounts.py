"""The adapters `dslp-bot serve` can mount, in order.

Each entry builds its routes from the wired app, or returns the reason it is
off (credentials not set), which the server logs at start-up. Slack Bolt and
the Agents SDK are imported only when their adapter is set up: together they
are most of a second of start-up that a server without them need not pay.
"""

from __future__ import annotations

from adapters.app import App, Mount, MountFactory
from adapters.github.oauth import oauth_mount
from adapters.github.webhook import webhook_mount
from adapters.notify_mount import notifications_mount
from adapters.scheduler import scheduler_mount
from adapters.slack import switch as slack_switch
from adapters.teams import switch as teams_switch


def slack_mount(app: App) -> Mount | str:
    if not slack_switch.configured(app.settings):
        return slack_switch.OFF
    from adapters.slack.mount import slack_mount as mount

    return mount(app)


def teams_mount(app: App) -> Mount | str:
    if off := teams_switch.off_reason(app.settings):
        return off
    from adapters.teams.mount import teams_mount as mount

    return mount(app)


MOUNTS: list[tuple[str, MountFactory]] = [
    ("scheduler", scheduler_mount),
    ("slack", slack_mount),
    ("github webhook", webhook_mount),
    ("github sign-in", oauth_mount),
    ("notifications", notifications_mount),
    ("teams", teams_mount),
]
