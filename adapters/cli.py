"""`dslp-bot`: the console script."""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from adapters import logs
from adapters.composition import build, build_tracker
from adapters.composition.mounts import MOUNTS
from adapters.console.backfill import backfill_all
from adapters.console.chat import ConsoleOutbox, chat, one_command
from adapters.console.report import write_report
from adapters.teams import package as teams_package
from adapters.web import serve
from bot.config import ConfigurationError, Settings, load_settings
from bot.dslp import LABELS
from bot.types import Platform
from storage.database import Database

CHAT_HELP = (
    "frame an Ask in the terminal (local tracker unless GITHUB_TOKEN is set); "
    "with words, run that one chat command (`chat stats 90d`, `chat status`) and exit"
)
BACKFILL_HELP = "read the repositories' issue-event history from GitHub (for `stats`)"


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="dslp-bot", description="The DSLP in chat.")
    sub = root.add_subparsers(dest="command", required=True)
    chat_parser = sub.add_parser("chat", help=CHAT_HELP)
    chat_parser.add_argument("words", nargs="*", help="a chat command, e.g. `stats 90d`")
    backfill = sub.add_parser("backfill", help=BACKFILL_HELP)
    backfill.add_argument("--repo", default="", help="owner/repo (default: every one served)")
    report = sub.add_parser("report", help="write the insights as one self-contained HTML file")
    report.add_argument("--repo", default="", help="owner/repo (default: every one served)")
    report.add_argument("--out", default="report.html", type=Path, help="where to write it")
    report.add_argument("--period", default="quarter", help="30d, 90d, quarter (default) or all")
    sub.add_parser("init", help="create the DSLP labels with their colours in the tracker")
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("serve", help="run the server for Slack, Teams and GitHub webhooks")
    teams_package.add_parser(sub)
    sub.add_parser("doctor", help="check configuration and connectivity, in plain words")
    return root


def run_chat(settings: Settings, args: argparse.Namespace) -> int:
    logs.configure("WARNING", settings.dslp_log_format)
    outbox = ConsoleOutbox(sys.stdout)
    app = build(settings)
    app.outbox.register(Platform.CONSOLE, outbox)
    charts = settings.dslp_data_dir / "charts"
    try:
        if args.words:
            return asyncio.run(one_command(app, " ".join(args.words), charts=charts))
        return asyncio.run(chat(app.commands, outbox, filing=app.worker))
    except KeyboardInterrupt:
        print("\nYour draft is saved.")
        return 130
    finally:
        app.database.dispose()


def run_backfill(settings: Settings, args: argparse.Namespace) -> int:
    logs.configure("WARNING", settings.dslp_log_format)
    database = Database(settings.database_url)
    try:
        database.migrate()
        return asyncio.run(backfill_all(settings, database, args.repo, sys.stdout))
    finally:
        database.dispose()


def run_report(settings: Settings, args: argparse.Namespace) -> int:
    logs.configure("WARNING", settings.dslp_log_format)
    database = Database(settings.database_url)
    try:
        database.migrate()
        written = write_report(
            settings, database, repo=args.repo, out=args.out, period=args.period, say=sys.stdout
        )
        return asyncio.run(written)
    finally:
        database.dispose()


def run_init(settings: Settings) -> int:
    logs.configure(settings.dslp_log_level, settings.dslp_log_format)
    database = Database(settings.database_url)
    try:
        database.migrate()
        tracker = build_tracker(settings, database)
        changed = asyncio.run(tracker.ensure_labels(labels=LABELS))
    finally:
        database.dispose()
    print(
        f"{tracker.repository}: {len(LABELS)} DSLP labels present; "
        f"changed: {', '.join(changed) or 'none'}"
    )
    return 0


def run_migrate(settings: Settings) -> int:
    logs.configure(settings.dslp_log_level, settings.dslp_log_format)
    Database(settings.database_url).migrate()
    print("database is up to date")
    return 0


def run_serve(settings: Settings) -> int:
    logs.configure(settings.dslp_log_level, settings.dslp_log_format)
    app = build(settings)
    try:
        serve(app, MOUNTS)
    finally:
        app.database.dispose()
    return 0


def run_doctor(settings: Settings) -> int:
    """The doctor talks to Slack and GitHub through their SDKs: imported only for it, so
    `serve` does not load what its settings leave off."""
    from adapters.doctor import diagnose, report

    logs.configure("ERROR", settings.dslp_log_format)
    findings = asyncio.run(diagnose(settings))
    print(report(findings))
    return 0 if all(finding.ok for finding in findings) else 1


WITH_ARGUMENTS = {"chat": run_chat, "backfill": run_backfill, "report": run_report}
COMMANDS = {
    "init": run_init,
    "migrate": run_migrate,
    "serve": run_serve,
    "doctor": run_doctor,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command != "serve":
        gc.enable()  # off while loading (adapters/entry.py); serve turns it on once started
    try:
        settings = load_settings()
    except ValidationError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    if args.command == "teams-package":
        return teams_package.run(settings, args)
    try:
        if args.command in WITH_ARGUMENTS:
            return WITH_ARGUMENTS[args.command](settings, args)
        return COMMANDS[args.command](settings)
    except ConfigurationError as error:  # e.g. a GitHub App key that cannot sign
        print(f"configuration error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
