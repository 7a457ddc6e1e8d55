"""Whether Slack is set up, answered without importing Bolt (a third of a second at start)."""

from __future__ import annotations

from bot.config import Settings

OFF = (
    "SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)"
    " are not set"
)


def multi_workspace(settings: Settings) -> bool:
    """An OAuth client: workspaces install the app themselves (no SLACK_BOT_TOKEN needed)."""
    return bool(settings.slack_client_id and settings.slack_client_secret.get_secret_value())


def configured(settings: Settings) -> bool:
    """The signing secret and a bot token or an OAuth client, as the Slack mount requires."""
    token = settings.slack_bot_token.get_secret_value() or multi_workspace(settings)
    return bool(token and settings.slack_signing_secret.get_secret_value())
