"""`dslp-bot doctor`: check configuration and connectivity, and say what is wrong in plain words."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from github import GithubException
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.composition.github import build_github
from adapters.github import texts as gt
from adapters.github.app import (
    PROJECT_EVENTS,
    REQUIRED_EVENTS,
    AppInstallations,
    GitHubApp,
    InstallationInfo,
    extra_permissions,
    missing_permissions,
)
from adapters.github.tokens import InstallationTokens
from adapters.github.tracker import GitHubTracker, policy_from
from adapters.slack import switch as slack_switch
from adapters.slack.allow import parse_team_ids
from adapters.slack.installs import install_problem
from adapters.teams.tenants import parse_tenants
from bot.config import ConfigurationError, Settings
from bot.people.commands import parse_admins
from bot.playbook.model import parse_project
from bot.ports import Tracker, TrackerError
from bot.repositories.model import ServedRepository
from storage.database import Database
from storage.identities import SecretKeyError, sealer
from storage.playbook import SqlPlaybookStore


@dataclass(frozen=True)
class Finding:
    """`ok` False is a problem (exit code 1); a warning is an open default worth a look,
    which a small trusted team may keep on purpose, so it does not fail the doctor."""

    name: str
    ok: bool
    detail: str
    warning: bool = False
    """Works, but not as it should in production: said, without failing the doctor."""

    @property
    def label(self) -> str:
        return "PROBLEM" if not self.ok else "warning" if self.warning else "ok"


Check = Callable[[Settings], Awaitable[Finding | list[Finding]]]
NO_PUSH = "the token can read {repository} but has no push access: labels would be dropped"
LOCAL = "local tracker (set GITHUB_TOKEN or a GitHub App, and GITHUB_REPOSITORY, for GitHub)"
SLACK_OFF = (
    "off (set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and"
    " SLACK_CLIENT_SECRET to install into many workspaces, to turn it on)"
)
SLACK_OAUTH = "installs through OAuth: workspaces add the app at {url}/slack/install"
TEAMS_OFF = "off (set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to turn it on)"
TEAMS_ANONYMOUS = "DSLP_TEAMS_ALLOW_ANONYMOUS=1: anyone can post to /api/messages (testing only)"
WEBHOOK_ON = "on: POST /github/webhook checks X-Hub-Signature-256"
WEBHOOK_OFF = "off (set GITHUB_WEBHOOK_SECRET, or DSLP_GITHUB_POLL_SECONDS to poll)"
VOUCHED_ONLY = (
    "no GITHUB_CLIENT_ID/GITHUB_CLIENT_SECRET: nobody can sign in with GitHub, only DSLP_ADMINS "
    "can vouch for people's logins (`link github @person <login>`){none}"
)
NOBODY_VOUCHES = "; DSLP_ADMINS is empty, so nobody can"
SIGN_IN_NEEDS = "GitHub sign-in needs {missing}"
SIGN_IN_ON = "on: people sign in with GitHub at {url}/github/signin"
NO_ADMINS = "DSLP_ADMINS is empty: anyone who can talk to the bot may change roles"
ADMINS = "{count} admin(s) may change roles"
OPEN_SLACK = (
    "DSLP_SLACK_TEAM_IDS is empty: if the app is installed in another workspace, "
    "its people can use the bot"
)
OPEN_TEAMS = (
    "DSLP_TEAMS_TENANT_IDS is empty: if the app is installed in another tenant, "
    "its people can use the bot"
)
ALLOW_LISTED = "only {names} may use the bot"
PROJECT_OFF = "no DSLP_PROJECT: issues go on a Project only where a channel set one (`project`)"
PROJECT_MALFORMED = "DSLP_PROJECT must be owner/number (like octo/5), not {value!r}"
PROJECT_ON = "new DSLP issues go on Project {project}, their phase in its {field!r} field"
PROJECT_OTHER_OWNER = (
    "Project {project} takes only {owner}'s repositories, so {others} get no Project from "
    "DSLP_PROJECT (a channel's `project` can name one of their owner's)"
)


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
    if not settings.uses_github and not settings.uses_github_app:
        return Finding("tracker", True, LOCAL)
    database = Database(settings.database_url)
    try:
        await asyncio.to_thread(database.migrate)  # App mode keeps its repositories there
        tracker = build_github(settings, database).trackers.default
        return await _can_label(tracker)
    except ConfigurationError as error:
        return Finding("tracker", False, str(error))
    finally:
        database.dispose()


async def _can_label(tracker: Tracker) -> Finding:
    try:
        if not await tracker.can_label():
            return Finding("tracker", False, NO_PUSH.format(repository=tracker.repository))
        return Finding("tracker", True, f"GitHub {tracker.repository} reachable with push access")
    except TrackerError as error:
        return Finding("tracker", False, error.message)
    finally:
        if isinstance(tracker, GitHubTracker):
            await tracker.aclose()


async def check_github_app(settings: Settings) -> list[Finding]:
    """The key signs (`GET /app` answers), the installations, their permissions and events."""
    if not settings.uses_github_app:
        return [Finding("github app", True, gt.APP_OFF)]
    try:
        app = GitHubApp.from_settings(settings, policy_from(settings))
    except ConfigurationError as error:
        return [Finding("github app", False, str(error))]
    try:
        return await _app_findings(app, settings)
    except GithubException as error:
        if error.status in (401, 403, 404):
            return [Finding("github app", False, gt.APP_REFUSED.format(status=error.status))]
        return [Finding("github app", False, _unreachable(settings, error))]
    except Exception as error:  # any network error: say so, never crash the doctor
        return [Finding("github app", False, _unreachable(settings, error))]
    finally:
        await asyncio.to_thread(app.close)


def _unreachable(settings: Settings, error: Exception) -> str:
    return gt.APP_UNREACHABLE.format(url=settings.github_api_url, error=type(error).__name__)


async def _app_findings(app: GitHubApp, settings: Settings) -> list[Finding]:
    about = await app.describe()
    findings = [Finding("github app", True, gt.APP_OK.format(name=about.name, app_id=about.app_id))]
    installations = await app.installation_infos()
    if not installations:
        return [
            *findings,
            Finding("installations", False, gt.NOT_INSTALLED_ANYWHERE.format(name=about.name)),
        ]
    projects = await _projects_configured(settings)
    findings += [_installation_finding(found, projects=projects) for found in installations]
    source = AppInstallations(app, InstallationTokens(app.issue_token))
    served = [repo for found in await source.installations() for repo in found.repositories]
    return [*findings, _default_finding(settings.github_repository, served)]


async def _projects_configured(settings: Settings) -> bool:
    """DSLP_PROJECT, or a repository's `project owner/number`: then Projects are needed too."""
    if settings.dslp_project:
        return True
    database = Database(settings.database_url)
    try:
        return await SqlPlaybookStore(database).any_project()
    except Exception:  # no database yet: the database finding says so
        return False
    finally:
        database.dispose()


def _installation_finding(found: InstallationInfo, *, projects: bool = False) -> Finding:
    words = {"id": found.id, "account": found.account}
    name = f"installation {found.id}"
    if found.suspended:
        return Finding(name, False, gt.INSTALLATION_SUSPENDED.format(**words))
    problems = []
    missing = missing_permissions(found.permissions, projects=projects)
    if missing:
        problems.append(gt.MISSING_PERMISSIONS.format(missing=", ".join(missing), **words))
    wanted = REQUIRED_EVENTS + (PROJECT_EVENTS if projects else ())
    events = [event for event in wanted if event not in found.events]
    if events:
        problems.append(gt.MISSING_EVENTS.format(missing=", ".join(events), **words))
    if problems:
        return Finding(name, False, "; ".join(problems))
    extra = extra_permissions(found.permissions, projects=projects)
    if extra:
        return Finding(name, True, gt.EXTRA_PERMISSIONS.format(extra=", ".join(extra), **words))
    return Finding(name, True, gt.INSTALLATION_OK.format(**words))


def _default_finding(default: str, served: list[ServedRepository]) -> Finding:
    if not any(repo.key == default.casefold() for repo in served):
        names = ", ".join(repo.full_name for repo in served) or "none"
        return Finding(
            "repositories", False, gt.DEFAULT_NOT_GRANTED.format(repository=default, served=names)
        )
    return Finding(
        "repositories", True, gt.DEFAULT_GRANTED.format(count=len(served), repository=default)
    )


async def check_slack(settings: Settings) -> Finding:
    if not slack_switch.configured(settings):
        return Finding("slack", True, SLACK_OFF)
    refused = install_problem(settings)
    if refused:
        return Finding("slack", False, refused)
    token = settings.slack_bot_token.get_secret_value()
    if not token:
        url = settings.dslp_public_url.rstrip("/") or "https://YOUR-HOST"
        return Finding("slack", True, SLACK_OAUTH.format(url=url))
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
        none = "" if settings.dslp_admins.strip() else NOBODY_VOUCHES
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


async def check_admins(settings: Settings) -> Finding:
    admins = parse_admins(settings.dslp_admins)
    if not admins:
        return Finding("admins", True, NO_ADMINS, warning=True)
    return Finding("admins", True, ADMINS.format(count=len(admins)))


async def check_workspaces(settings: Settings) -> Finding:
    """An app that can be installed elsewhere serves whoever installs it, unless allow-listed."""
    lists: list[tuple[str, frozenset[str], str]] = []
    if slack_switch.configured(settings):
        lists.append(("Slack workspaces", parse_team_ids(settings.dslp_slack_team_ids), OPEN_SLACK))
    if settings.microsoft_app_id or settings.dslp_teams_allow_anonymous:
        lists.append(("Teams tenants", parse_tenants(settings.dslp_teams_tenant_ids), OPEN_TEAMS))
    open_ones = [warning for _, ids, warning in lists if not ids]
    if open_ones:
        return Finding("allow-lists", True, "; ".join(open_ones), warning=True)
    names = " and ".join(f"listed {name}" for name, _, _ in lists) or "nobody (no chat platform)"
    return Finding("allow-lists", True, ALLOW_LISTED.format(names=names))


async def check_project(settings: Settings) -> Finding:
    """DSLP_PROJECT can only take repositories of its own owner (bot/playbook/model.py):
    one of another owner is a warning; a Project none of them can use, a problem."""
    if not settings.dslp_project:
        return Finding("project", True, PROJECT_OFF)
    project = parse_project(settings.dslp_project)
    if project is None:
        return Finding("project", False, PROJECT_MALFORMED.format(value=settings.dslp_project))
    configured = [settings.github_repository, *settings.extra_repositories]
    repositories = [name for name in configured if name]
    others = [name for name in repositories if not project.owned_with(name)]
    if others:
        detail = PROJECT_OTHER_OWNER.format(
            project=project, owner=project.owner, others=", ".join(others)
        )
        return Finding("project", len(others) < len(repositories), detail, warning=True)
    field = settings.dslp_project_field
    return Finding("project", True, PROJECT_ON.format(project=project, field=field))


CHECKS: tuple[Check, ...] = (
    check_database,
    check_tracker,
    check_github_app,
    check_slack,
    check_teams,
    check_webhook,
    check_project,
    check_identities,
    check_admins,
    check_workspaces,
)


async def diagnose(settings: Settings) -> list[Finding]:
    """Every check at once; a check may say several things (the App: one per installation)."""
    found = await asyncio.gather(*(check(settings) for check in CHECKS))
    return [one for result in found for one in (result if isinstance(result, list) else [result])]


def report(findings: list[Finding]) -> str:
    return "\n".join(f"[{f.label}] {f.name}: {f.detail}" for f in findings)
