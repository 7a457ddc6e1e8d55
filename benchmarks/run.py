"""Run every benchmark, print a table and write benchmarks/results/latest.json.

    .venv/bin/python -m benchmarks.run            # the full run (a few minutes)
    .venv/bin/python -m benchmarks.run --quick    # fewer requests, for a smoke test
    .venv/bin/python -m benchmarks.run --quick --only hostile   # one section

PostgreSQL figures need DSLP_TEST_POSTGRES_URL (as for the tests); without it they are skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import burst, outage, scaling, slack, startup, webhook
from benchmarks.digest import bench_digest
from benchmarks.fakes import fakes
from benchmarks.insights import GITHUB_HOURLY, bench_backfill, bench_measures
from benchmarks.load import Result
from benchmarks.servers import ROOT, settle
from tests.support.databases import postgres_schema

RESULTS = ROOT / "benchmarks" / "results"


@contextmanager
def databases(tmp: Path) -> Iterator[list[tuple[str, str]]]:
    found = [("SQLite", f"sqlite:///{tmp / 'bench.sqlite3'}")]
    server = os.environ.get("DSLP_TEST_POSTGRES_URL", "")
    if not server:
        yield found
        return
    with postgres_schema(server) as url:
        yield [*found, ("PostgreSQL", url)]


def latency(result: Result) -> str:
    return f"{result.per_second:,.0f}/s, p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms"


def row(name: str, figure: str, target: str, met: bool | None) -> dict[str, Any]:
    verdict = "n/a" if met is None else ("met" if met else "MISSED")
    return {"measure": name, "figure": figure, "target": target, "verdict": verdict}


MEMORY_EVENTS = 100_000
MEMORY_MB = 150


async def webhook_rows(tmp: Path, requests: int, memory_events: int) -> list[dict[str, Any]]:
    floor = await webhook.bench_floor(requests, 50)
    rows = [
        row(
            floor.name,
            latency(floor),
            "floor",
            None,
        )
    ]
    with databases(tmp) as found:
        for label, url in found:
            result, stored, memory = await webhook.bench_bot(
                label,
                {"DSLP_DATA_DIR": str(tmp)},
                url,
                requests,
                50,
                memory_after=memory_events if label == "SQLite" else 0,
            )
            ok = result.errors == 0 and stored.received == requests
            figure = f"{latency(result)}, {stored.received}/{requests} recorded"
            rows.append(
                row(
                    result.name,
                    figure,
                    ">= 1,000/s, p99 < 150 ms, none lost",
                    ok and result.per_second >= 1000 and result.p99_ms < 150,
                )
            )
            rows.append(backlog_row(label, requests, result, stored))
            if label == "SQLite":
                rows.append(
                    row(
                        f"resident memory after {max(requests, memory_events):,} events",
                        f"{memory:.0f} MB",
                        f"< {MEMORY_MB} MB",
                        memory < MEMORY_MB,
                    )
                )
    return rows


DRAIN_RATIO = 2.0


def backlog_row(
    label: str, requests: int, accepted: Result, stored: webhook.Stored
) -> dict[str, Any]:
    """The backlog is worked into notifications within 2x the time it took to accept it."""
    ratio = stored.drain_seconds / accepted.seconds if accepted.seconds else 0.0
    return row(
        f"webhook backlog worked ({label})",
        f"{stored.worked}/{requests} events, done {stored.drain_seconds:.1f} s after the "
        f"last answer ({ratio:.1f}x the {accepted.seconds:.1f} s to accept them)",
        f"all worked, <= {DRAIN_RATIO:.0f}x the accept time",
        stored.worked == requests and ratio <= DRAIN_RATIO,
    )


START_SECONDS = 1.0


async def startup_rows(tmp: Path) -> list[dict[str, Any]]:
    rows = []
    for found in startup.measure(tmp):
        first, restart = found.first, found.restart
        rows.append(
            row(
                f"start to /readyz, {found.deployment}, first start (creates the schema)",
                f"{first.seconds:.2f} s ({first.cpu:.2f} s of CPU)",
                "",
                None,
            )
        )
        rows.append(
            row(
                f"start to /readyz, {found.deployment} (schema at head, median of "
                f"{startup.RESTARTS})",
                f"{restart.seconds:.2f} s ({restart.cpu:.2f} s of CPU)",
                f"< {START_SECONDS:.0f} s",
                restart.seconds < START_SECONDS,
            )
        )
    return rows


async def digest_rows(tmp: Path) -> list[dict[str, Any]]:
    figures = await bench_digest(tmp)
    return [
        row(
            "digest, 10,000 issues: GitHub requests",
            f"{figures['requests']:.0f}",
            "<= 12",
            figures["requests"] <= 12,
        ),
        row(
            "digest, 10,000 issues: wall time",
            f"{figures['seconds']:.2f} s",
            "< 2 s",
            figures["seconds"] < 2,
        ),
    ]


async def insights_rows(tmp: Path, quick: bool) -> list[dict[str, Any]]:
    issues, events = (1_000, 10_000) if quick else (10_000, 100_000)
    figures = bench_measures(issues, events)
    total = figures["measure_cpu"] + figures["chart_cpu"]
    fetched = await bench_backfill(tmp, issues, events)
    return [
        row(
            f"insights: measures + chart, {issues:,} issues / {events:,} events (CPU)",
            f"{figures['measure_cpu']:.2f} s + {figures['chart_cpu']:.2f} s "
            f"(wall {figures['measure_wall']:.2f} s + {figures['chart_wall']:.2f} s)",
            "< 1 s",
            total < 1,
        ),
        row(
            f"insights: backfill of {events:,} events, GitHub requests",
            f"{fetched['requests']:.0f} ({fetched['seconds']:.1f} s; history loads in "
            f"{fetched['load_seconds']:.2f} s)",
            f"<= {GITHUB_HOURLY} (an hour's budget)",
            fetched["requests"] <= GITHUB_HOURLY and fetched["stored"] == events,
        ),
    ]


SLACK_RATIO = 1.0
NEAR_DEADLINE_MS = 2000.0
"""Slack gives up after 3 s; a request over 2 s counts as near it."""


def ack_figure(result: Result) -> str:
    errors = f", {result.errors} errors" if result.errors else ""
    return (
        f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, "
        f"max {result.max_ms:.0f} ms{errors}"
    )


async def slack_rows(tmp: Path, requests: int) -> list[dict[str, Any]]:
    """The floor and the bot at each concurrency, against the same fakes, taking turns."""
    with fakes() as found:
        pairs = await slack.bench(found, str(tmp / "slack"), requests)
    rows = [row(floor.name, ack_figure(floor), "floor", None) for floor, _ in pairs]
    for floor, bot in pairs:
        limit = SLACK_RATIO * floor.p99_ms
        met = bot.errors == 0 and bot.p99_ms <= limit and bot.max_ms < NEAR_DEADLINE_MS
        target = f"p99 <= {SLACK_RATIO}x floor ({limit:.0f} ms), max < 2 s"
        rows.append(row(bot.name, ack_figure(bot), target, met))
    return rows


HOSTILE_RATIO = 2.0


async def hostile_rows(tmp: Path, requests: int) -> list[dict[str, Any]]:
    """`/dslp help` acks quiet, then while hostile DMs arrive: parsing must not stall the loop."""
    with fakes() as found:
        quiet, loud, sent = await slack.bench_hostile(found, str(tmp / "hostile"), requests)
    limit = HOSTILE_RATIO * quiet.p99_ms
    met = loud.errors == 0 and loud.p99_ms <= limit and loud.max_ms < NEAR_DEADLINE_MS
    return [
        row(quiet.name, ack_figure(quiet), "reference", None),
        row(
            loud.name,
            f"{ack_figure(loud)}, {sent} hostile DMs",
            f"p99 <= {HOSTILE_RATIO}x quiet ({limit:.0f} ms), max < 2 s",
            met,
        ),
    ]


def print_table(rows: list[dict[str, Any]]) -> None:
    widths = [
        max(len(str(r[key])) for r in rows) for key in ("measure", "figure", "target", "verdict")
    ]
    for r in rows:
        cells = [
            str(r[key]).ljust(width)
            for key, width in zip(("measure", "figure", "target", "verdict"), widths, strict=True)
        ]
        print(" | ".join(cells))


async def outage_rows(tmp: Path, quick: bool) -> list[dict[str, Any]]:
    """2,000 deliveries through a 10 s PostgreSQL outage: the default spool, and 256 KiB.

    Needs PostgreSQL (a SQLite file cannot be cut off from a running process); skipped by
    `--quick`, as it takes minutes.
    """
    server = os.environ.get("DSLP_TEST_POSTGRES_URL", "")
    if not server or quick:
        return []
    rows = []
    for name, size in (("256 MiB", outage.DEFAULT_SPOOL), ("256 KiB", outage.SMALL_SPOOL)):
        got = await outage.bench_outage(server, tmp / f"outage-{size}", size)
        figure = (
            f"5xx {got.refused}, spooled {got.spooled}, redelivered {got.redelivered}, "
            f"lost {got.lost}, duplicated {got.duplicated}, not notified {got.unnotified}, "
            f"last notification {got.last_notice_seconds:.0f} s after the last answer"
        )
        met = got.lost == 0 and got.duplicated == 0 and got.unnotified == 0
        rows.append(row(f"10 s database outage, spool {name}", figure, "lost 0, duplicated 0", met))
    return rows


BURST = 300
BURST_MESSAGES = 10
BURST_SECONDS = 30.0
QUIET_SECONDS = 2.0


async def burst_rows(tmp: Path, quick: bool) -> list[dict[str, Any]]:
    """One new Ask for a quiet channel, then a bulk change's worth for the same channel."""
    count = BURST // 3 if quick else BURST
    got = await burst.bench_burst(tmp / "burst", count)
    quiet, many = got.quiet, got.burst
    return [
        row(
            "burst: one new Ask for a quiet channel",
            f"{quiet.messages} message, {quiet.seconds:.2f} s after the answer",
            f"told alone, < {QUIET_SECONDS:.0f} s",
            quiet.messages == 1 and quiet.sent == 1 and quiet.seconds < QUIET_SECONDS,
        ),
        row(
            f"burst: {count} new Asks for one channel (Slack paced at one post a second)",
            f"{many.sent}/{many.notifications} notifications sent in {many.messages} messages, "
            f"the last {many.seconds:.1f} s after the last answer (one by one: {count} s)",
            f"all sent, <= {BURST_MESSAGES} messages, last < {BURST_SECONDS:.0f} s",
            many.notifications == count
            and many.sent == count
            and many.messages <= BURST_MESSAGES
            and many.seconds < BURST_SECONDS,
        ),
    ]


SCALED = {
    "digest": "digest build, {size:,} issues (the bot's CPU)",
    "status": "`status`, {size:,} filed Asks (20 the person's)",
    "home": "App Home view, {size:,} filed Asks (20 the person's)",
    "webhook": "webhook path, 200 deliveries, {size:,} events stored",
}
LINEAR = 10.0
"""Time may grow at most tenfold per tenfold data, and a fifth more for noise: linear work
measured twice rarely comes out at exactly x10; quadratic work would show x100."""
NOISE = 1.2


async def scaling_rows(tmp: Path, quick: bool) -> list[dict[str, Any]]:
    """Each measure at each size (`--quick`: not 100,000); the largest size's row says
    whether it grew linearly."""
    sizes = scaling.SIZES[:2] if quick else scaling.SIZES
    found = await scaling.scaling(tmp / "scaling", sizes)
    rows = []
    for measure, costs in found.items():
        worst = scaling.growth(costs)
        worst_memory = scaling.growth(costs, lambda cost: cost.peak_mb)
        for size, cost in costs.items():
            largest = size == max(costs)
            figure = f"{cost.seconds * 1000:,.1f} ms, peak {cost.peak_mb:,.1f} MB"
            if largest:
                figure += f" (per 10x data at worst: time x{worst:.1f}, memory x{worst_memory:.1f})"
            target = f"<= x{LINEAR:.0f} per 10x (x{LINEAR * NOISE:.0f} with noise)"
            target = target if largest else ""
            met = max(worst, worst_memory) <= LINEAR * NOISE if largest else None
            rows.append(row(SCALED[measure].format(size=size), figure, target, met))
    return rows


SECTIONS = (
    "startup",
    "digest",
    "insights",
    "webhook",
    "slack",
    "hostile",
    "outage",
    "burst",
    "scaling",
)


async def main(quick: bool, only: str = "") -> list[dict[str, Any]]:
    requests = 500 if quick else 10_000
    slack_requests = 400 if quick else 2_000
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        sections = {
            "startup": lambda: startup_rows(tmp),
            "digest": lambda: digest_rows(tmp),
            "insights": lambda: insights_rows(tmp, quick),
            "webhook": lambda: webhook_rows(tmp, requests, requests if quick else MEMORY_EVENTS),
            "slack": lambda: slack_rows(tmp, slack_requests),
            "hostile": lambda: hostile_rows(tmp, slack_requests),
            "outage": lambda: outage_rows(tmp, quick),
            "burst": lambda: burst_rows(tmp, quick),
            "scaling": lambda: scaling_rows(tmp, quick),
        }
        rows: list[dict[str, Any]] = []
        for name in SECTIONS:
            if not only or name == only:
                print(f"{name}: the machine settled in {settle():.1f} s", flush=True)
                rows += await sections[name]()
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=SECTIONS, default="", help="run one section")
    args = parser.parse_args()
    load_before = os.getloadavg()
    results = asyncio.run(main(args.quick, args.only))
    print_table(results)
    RESULTS.mkdir(exist_ok=True)
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    document = {
        "when": datetime.now(UTC).isoformat(),
        "quick": args.quick,
        "machine": machine,
        "load_average": {"start": load_before, "end": os.getloadavg()},
        "rows": results,
    }
    name = f"latest-{args.only}.json" if args.only else "latest.json"  # a part keeps the whole
    (RESULTS / name).write_text(json.dumps(document, indent=2))
