"""Start to /readyz, for the deployments people run.

A start is almost all imports, so what is configured decides it: Slack loads Bolt, Teams the
Microsoft 365 Agents SDK, a GitHub App reads and checks its key. Each restart is measured
three times (the median is the figure, CPU seconds beside it: on a shared machine they do
not depend on the neighbours). The GitHub and Slack addresses point at the benchmark's fakes;
nothing at start waits for them.
"""

from __future__ import annotations

import compileall
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from benchmarks.fakes import fakes
from benchmarks.servers import ROOT, cpu_seconds, dslp_serve
from benchmarks.slack import SECRET
from tests.fakes.github_app import other_key_pem
from tests.fakes.slack_api import TOKEN

RESTARTS = 3


@dataclass(frozen=True)
class Start:
    seconds: float
    cpu: float


def once(settings: Mapping[str, str]) -> Start:
    with dslp_serve(settings) as (child, seconds, _port):
        return Start(seconds, cpu_seconds(child.pid))


def median(settings: Mapping[str, str]) -> Start:
    starts = [once(settings) for _ in range(RESTARTS)]
    return Start(
        statistics.median(start.seconds for start in starts),
        statistics.median(start.cpu for start in starts),
    )


def deployments(tmp: Path, slack_api_url: str, github_api_url: str) -> dict[str, dict[str, str]]:
    """Offline (nothing configured), Slack with a GitHub App, and Slack, Teams and the App."""
    key = tmp / "app.pem"
    key.write_text(other_key_pem())
    slack_and_app = {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": slack_api_url,
        "GITHUB_APP_ID": "1",
        "GITHUB_APP_PRIVATE_KEY": str(key),
        "GITHUB_REPOSITORY": "octo/dslp",
        "GITHUB_API_URL": github_api_url,
    }
    teams = {
        "MICROSOFT_APP_ID": "00000000-0000-0000-0000-000000000001",
        "MICROSOFT_APP_PASSWORD": "bench",
        "MICROSOFT_APP_TENANT_ID": "00000000-0000-0000-0000-000000000002",
        "MICROSOFT_APP_TYPE": "SingleTenant",
    }
    return {
        "offline: no Slack, Teams or GitHub": {"DSLP_DATA_DIR": str(tmp / "offline")},
        "Slack and a GitHub App": {"DSLP_DATA_DIR": str(tmp / "slack"), **slack_and_app},
        "Slack, Teams and a GitHub App": {
            "DSLP_DATA_DIR": str(tmp / "teams"),
            **slack_and_app,
            **teams,
        },
    }


@dataclass(frozen=True)
class Measured:
    deployment: str
    first: Start
    """The first start: it creates the schema."""
    restart: Start
    """The common case: the schema is at its head."""


def compile_bytecode() -> None:
    """Compile the project's modules, as `pip install` does in the image (Dockerfile).

    Run from a checkout with PYTHONDONTWRITEBYTECODE set (many CI and dev shells set it), each
    start would compile its ~260 modules from source again: 0.15-0.2 s that no deployed start
    spends.
    """
    for package in ("bot", "adapters", "storage"):
        compileall.compile_dir(ROOT / package, quiet=1)


def measure(tmp: Path) -> list[Measured]:
    compile_bytecode()
    with fakes() as found:
        configured = deployments(tmp, found.slack_api_url, found.github_api_url)
        return [
            Measured(name, once(settings), median(settings))
            for name, settings in configured.items()
        ]
