"""The adapters `dslp-bot serve` can mount, in order.

Each entry builds its routes from the wired app, or returns the reason it is
off (credentials not set), which the server logs at start-up.
"""

from __future__ import annotations

from adapters.app import MountFactory
from adapters.github.oauth import oauth_mount
from adapters.github.webhook import webhook_mount
from adapters.notify_mount import notifications_mount
from adapters.scheduler import scheduler_mount
from adapters.slack.mount import slack_mount
from adapters.teams.mount import teams_mount

MOUNTS: list[tuple[str, MountFactory]] = [
    ("scheduler", scheduler_mount),
    ("slack", slack_mount),
    ("github webhook", webhook_mount),
    ("github sign-in", oauth_mount),
    ("notifications", notifications_mount),
    ("teams", teams_mount),
]
