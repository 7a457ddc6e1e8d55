"""Whether Slack is set up, answered without importing Bolt (a third of a second at start)."""

from __future__ import annotations

from bot.config import Settings

OFF = "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not both set"


def configured(settings: Settings) -> bool:
    return bool(
        settings.slack_bot_token.get_secret_value()
        and settings.slack_signing_secret.get_secret_value()
    )
