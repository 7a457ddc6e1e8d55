"""`dslp-bot doctor`: check configuration and connectivity, and say what is wrong in plain words."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.github.tracker import GitHubTracker
from bot.config import Settings
from bot.ports import TrackerError
from storage.database import Database
from storage.identities import SecretKeyError, sealer


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str
    warning: bool = False
    """Works, but not as it should in production: said, without failing the doctor."""


Check = Callable[[Settings], Awaitable[Finding]]
NO_PUSH = "the token can read {repository} but has no push access: labels would be dropped"
LOCAL = "local tracker (set GITHUB_TOKEN and GITHUB_REPOSITORY for GitHub)"
SLACK_OFF = "off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on)"
TEAMS_OFF = "off (set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to turn it on)"
TEAMS_ANONYMOUS = "DSLP_TEAMS_ALLOW_ANONYMOUS=1: anyone can post to /api/messages (testing only)"
WEBHOOK_ON = "on: POST /github/webhook checks X-Hub-Signature-256"
WEBHOOK_OFF = "off (set GITHUB_WEBHOOK_SECRET, or DSLP_GITHUB_POLL_SECONDS to poll)"
VOUCHED_ONLY = (
    "no GITHUB_CLIENT_ID/GITHUB_CLIENT_SECRET: nobody can sign in with GitHub, only DSLP_ADMINS "
    "can vouch for people's logins (`link github @person <login>`){none}"
)
NO_ADMINS = "; DSLP_ADMINS is empty, so nobody can"
SIGN_IN_NEEDS = "GitHub sign-in needs {missing}"
SIGN_IN_ON = "on: people sign in with GitHub at {url}/github/signin"


async def check_database(settings: Settings) -> Finding:
    database = Database(settings.database_url)
    try:
        if not await database.aping():
            return Finding("database", False, "cannot connect: check DSLP_DATABASE_URL")
        await asyncio.to_thread(database.migrate)
        kind = "SQLite" if database.is_sqlite else "PostgreSQL"
        return Finding("database", True, f"{kind} reachable, schema up to date")
    finally:
        database.dispose()


async def check_tracker(settings: Settings) -> Finding:
    if not settings.uses_github:
        return Finding("tracker", True, LOCAL)
    tracker = GitHubTracker.from_settings(settings)
    try:
        if not await tracker.can_label():
            return Finding("tracker", False, NO_PUSH.format(repository=tracker.repository))
        return Finding("tracker", True, f"GitHub {tracker.repository} reachable with push access")
    except TrackerError as error:
        return Finding("tracker", False, error.message)
    finally:
        await tracker.aclose()


async def check_slack(settings: Settings) -> Finding:
    token = settings.slack_bot_token.get_secret_value()
    if not token or not settings.slack_signing_secret.get_secret_value():
        return Finding("slack", True, SLACK_OFF)
    client = AsyncWebClient(token=token, base_url=settings.slack_api_url)
    try:
        answer = await client.auth_test()
    except SlackApiError as error:
        reason = error.response.get("error")
        return Finding("slack", False, f"Slack refused the bot token ({reason})")
    except Exception as error:  # any network error: say so, never crash the doctor
        problem = f"cannot reach Slack at {settings.slack_api_url}: {type(error).__name__}"
        return Finding("slack", False, problem)
    return Finding("slack", True, f"connected as {answer.get('user')} in {answer.get('team')}")


async def check_teams(settings: Settings) -> Finding:
    if settings.dslp_teams_allow_anonymous:
        return Finding("teams", False, TEAMS_ANONYMOUS)
    if not settings.microsoft_app_id:
        return Finding("teams", True, TEAMS_OFF)
    password = settings.microsoft_app_password.get_secret_value()
    if not password and settings.microsoft_app_type != "UserAssignedMSI":
        return Finding("teams", False, "MICROSOFT_APP_PASSWORD is empty")
    kind, app_id = settings.microsoft_app_type, settings.microsoft_app_id
    return Finding("teams", True, f"configured as {kind} app {app_id}")


async def check_webhook(settings: Settings) -> Finding:
    if settings.github_webhook_secret.get_secret_value():
        return Finding("github webhook", True, WEBHOOK_ON)
    if settings.dslp_github_poll_seconds > 0:
        polling = f"off; polling every {settings.dslp_github_poll_seconds:g}s"
        return Finding("github webhook", True, polling)
    return Finding("github webhook", True, WEBHOOK_OFF)


async def check_identities(settings: Settings) -> Finding:
    if not settings.has_sign_in_client:
        none = "" if settings.dslp_admins.strip() else NO_ADMINS
        return Finding("github sign-in", True, VOUCHED_ONLY.format(none=none), warning=True)
    missing = [
        name
        for name, value in (
            ("DSLP_SECRET_KEY", settings.dslp_secret_key.get_secret_value()),
            ("DSLP_PUBLIC_URL", settings.dslp_public_url),
        )
        if not value
    ]
    if not missing:
        try:
            sealer(settings.dslp_secret_key.get_secret_value())
        except SecretKeyError as error:
            return Finding("github sign-in", False, str(error))
        return Finding("github sign-in", True, SIGN_IN_ON.format(url=settings.dslp_public_url))
    return Finding("github sign-in", False, SIGN_IN_NEEDS.format(missing=" and ".join(missing)))


CHECKS: tuple[Check, ...] = (
    check_database,
    check_tracker,
    check_slack,
    check_teams,
    check_webhook,
    check_identities,
)


async def diagnose(settings: Settings) -> list[Finding]:
    return list(await asyncio.gather(*(check(settings) for check in CHECKS)))


def report(findings: list[Finding]) -> str:
    return "\n".join(f"[{_verdict(f)}] {f.name}: {f.detail}" for f in findings)


def _verdict(finding: Finding) -> str:
    if not finding.ok:
        return "PROBLEM"
    return "warning" if finding.warning else "ok"
