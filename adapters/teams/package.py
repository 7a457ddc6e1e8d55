"""`dslp-bot teams-package`: the zip a Teams admin uploads (manifest.json and two icons).

The manifest's command list uses the same words as the Slack sub-commands,
so people type the same thing on both platforms.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import NAMESPACE_URL, UUID, uuid5

from adapters.teams.message_action import COMMAND_ID
from bot.config import Settings

MANIFEST_VERSION = "1.17"
MANIFEST_SCHEMA = (
    f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}"
    "/MicrosoftTeams.schema.json"
)
APP_VERSION = "0.1.0"
ICONS = ("color.png", "outline.png")
SCOPES = ["personal", "team", "groupChat"]
COMMANDS: tuple[tuple[str, str], ...] = (
    ("ask", "Frame a new Ask, the business problem, step by step or as a form"),
    ("status", "Your Asks and drafts, or one Ask: status #12"),
    ("digest", "A daily digest of stalled work in this channel: digest daily 09:00"),
    ("help", "Every command"),
)
MESSAGE_ACTION_TITLE = "Frame as DSLP Ask"
MESSAGE_ACTION_DESCRIPTION = "Start a DSLP Ask with this message as the problem statement"
NO_APP_ID_NOTE = (
    "MICROSOFT_APP_ID is not set: the package uses a generated id, which Teams can install "
    "but Azure Bot Service cannot reach. Set it to your Azure Bot's app id for real use."
)
NO_PUBLIC_URL = "DSLP_PUBLIC_URL (or --public-url) must be the bot's https address"


@dataclass(frozen=True)
class PackageSettings:
    public_url: str
    app_id: str = ""
    name: str = "dslp-bot"

    @property
    def manifest_id(self) -> str:
        """The bot's app id, or one derived from the public URL so re-packaging keeps it."""
        return self.app_id or str(uuid5(NAMESPACE_URL, self.public_url or self.name))


def manifest(settings: PackageSettings) -> dict[str, Any]:
    host = urlsplit(settings.public_url).hostname or ""
    if not host or not settings.public_url.startswith("https://"):
        raise ValueError(NO_PUBLIC_URL)
    website = settings.public_url.rstrip("/")
    return {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": APP_VERSION,
        "id": settings.manifest_id,
        "developer": {
            "name": settings.name,
            "websiteUrl": website,
            "privacyUrl": website,
            "termsOfUseUrl": website,
        },
        "name": {"short": settings.name, "full": "dslp-bot: the Data Science Lifecycle Process"},
        "description": {
            "short": "Frame data science Asks the DSLP way, in chat.",
            "full": (
                "dslp-bot brings the Data Science Lifecycle Process into Teams: it walks you "
                "through framing an Ask (the business problem) one question at a time or as a "
                "form, files it as an issue, and tells you when it is filed."
            ),
        },
        "icons": {"color": ICONS[0], "outline": ICONS[1]},
        "accentColor": "#2563A8",
        "bots": [_bot(settings)],
        "composeExtensions": [_message_actions(settings)],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [host],
    }


def _bot(settings: PackageSettings) -> dict[str, Any]:
    commands = [{"title": word, "description": text} for word, text in COMMANDS]
    return {
        "botId": settings.manifest_id,
        "scopes": SCOPES,
        "supportsFiles": False,
        "isNotificationOnly": False,
        "commandLists": [{"scopes": SCOPES, "commands": commands}],
    }


def _message_actions(settings: PackageSettings) -> dict[str, Any]:
    """ "Frame as DSLP Ask" in every message's "More actions" menu: a dialog from the bot."""
    return {
        "botId": settings.manifest_id,
        "canUpdateConfiguration": False,
        "commands": [
            {
                "id": COMMAND_ID,
                "type": "action",
                "title": MESSAGE_ACTION_TITLE,
                "description": MESSAGE_ACTION_DESCRIPTION,
                "context": ["message"],
                "fetchTask": True,
            }
        ],
    }


def write_package(settings: PackageSettings, out: Path) -> Path:
    """Write the zip; the manifest is built first so a bad URL leaves no half-written file."""
    content = json.dumps(manifest(settings), indent=2)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", content)
        for icon in ICONS:
            archive.writestr(
                icon, resources.files("adapters.teams.assets").joinpath(icon).read_bytes()
            )
    return out


def is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = sub.add_parser("teams-package", help="write the Teams app package (a zip to upload)")
    command.add_argument("--out", type=Path, default=Path("dslp-bot-teams.zip"))
    command.add_argument("--public-url", default="", help="default: DSLP_PUBLIC_URL")
    command.add_argument("--app-id", default="", help="default: MICROSOFT_APP_ID")


def run(settings: Settings, args: argparse.Namespace) -> int:
    app_id = args.app_id or settings.microsoft_app_id
    if app_id and not is_uuid(app_id):
        print(f"MICROSOFT_APP_ID {app_id!r} is not an app id (a UUID)", file=sys.stderr)
        return 2
    package = PackageSettings(public_url=args.public_url or settings.dslp_public_url, app_id=app_id)
    try:
        out = write_package(package, args.out)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    print(
        f"wrote {out} (app id {package.manifest_id}); upload it in Teams: Apps > Manage your apps"
    )
    if not app_id:
        print(NO_APP_ID_NOTE, file=sys.stderr)
    return 0
