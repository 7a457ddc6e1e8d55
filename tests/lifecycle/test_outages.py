"""Outages: nothing GitHub sent is lost, nothing is told twice, and the logs stay short.

The database is cut off through a TCP proxy (PostgreSQL; the machine's server is
never stopped). A SQLite file cannot be cut off from a running process honestly,
so those tests run on PostgreSQL only; the restart test runs on both.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from adapters.logs import OutageFilter
from bot.types import Say
from storage.inbox import Received
from storage.spool import encode
from tests.fakes.github_api import FakeGitHub
from tests.fakes.github_hooks import FakeHook
from tests.lifecycle.conftest import CHANNEL, SECRET, Bot, set_up_team, start_bot, stop_bot
from tests.support.tcp_proxy import TcpProxy, proxied_postgres
from tests.support.webhooks import issue_payload

ATTEMPTS = r"/repos/octo/dslp/hooks/\d+/deliveries/\d+/attempts"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ask(number: int) -> dict[str, object]:
    return issue_payload("opened", number=number, title=f"Ask {number}", labels=("Ask",))


async def until(check: Callable[[], object], timeout: float = 30.0) -> None:
    """Wait for background work (not a timing assertion: only a bound against hanging)."""
    for _ in range(int(timeout / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the background work did not finish")


def asks_told(bot: Bot) -> list[str]:
    said = [reply for place, reply in bot.slack.replies if place == CHANNEL]
    return sorted(reply.text for reply in said if isinstance(reply, Say))


async def start(tmp_path: Path, fake: FakeGitHub, port: int, hook: FakeHook, **more: object) -> Bot:
    return await start_bot(tmp_path, fake, port=port, dslp_github_hook_id=hook.id, **more)


async def test_a_delivery_that_failed_while_the_bot_was_down_is_redelivered_at_start(
    tmp_path: Path, fake_github: FakeGitHub
) -> None:
    port = free_port()
    hook = fake_github.add_hook(f"http://127.0.0.1:{port}/github/webhook", SECRET)
    bot = await start(tmp_path, fake_github, port, hook)
    await set_up_team(bot)
    await stop_bot(bot)
    missed = await fake_github.deliver(hook, "issues", ask(7))
    assert missed.status_code == 0, "nobody listening: GitHub logs a failed delivery"

    bot = await start(tmp_path, fake_github, port, hook)
    try:
        await until(lambda: fake_github.count("POST", ATTEMPTS) == 1)
        await fake_github.redeliveries_done()
        await bot.settle()
        assert len(asks_told(bot)) == 1 and "Ask 7" in asks_told(bot)[0]
        assert [(d.status_code, d.redelivery) for d in hook.deliveries] == [(0, False), (202, True)]
    finally:
        await stop_bot(bot)
    bot = await start(tmp_path, fake_github, port, hook)
    try:
        await until(lambda: fake_github.count("GET", r"/repos/octo/dslp/hooks/\d+/deliveries") == 3)
        await bot.settle()
        assert fake_github.count("POST", ATTEMPTS) == 1, "a succeeded delivery is not asked for"
        assert asks_told(bot) == []
    finally:
        await stop_bot(bot)


async def test_a_delivery_lost_on_the_network_is_redelivered_by_the_periodic_reconciliation(
    tmp_path: Path, fake_github: FakeGitHub
) -> None:
    """Issue 17: reconciliation ran only at start-up and after a database outage, so a delivery
    that failed between GitHub and us while the bot ran was never asked for again."""
    port = free_port()
    hook = fake_github.add_hook(f"http://127.0.0.1:{port}/github/webhook", SECRET)
    bot = await start(tmp_path, fake_github, port, hook, dslp_reconcile_minutes=0.01)
    try:
        await set_up_team(bot)
        hook.url, reachable = f"http://127.0.0.1:{free_port()}/github/webhook", hook.url
        lost = await fake_github.deliver(hook, "issues", ask(8))  # a network fault on the way
        hook.url = reachable
        assert lost.status_code == 0
        await until(lambda: fake_github.count("POST", ATTEMPTS) == 1)
        await fake_github.redeliveries_done()
        await bot.settle()
        assert len(asks_told(bot)) == 1 and "Ask 8" in asks_told(bot)[0]
    finally:
        await stop_bot(bot)


class Lines(logging.Handler):
    """What reaches the log, through the same outage filter `dslp-bot serve` installs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.outages = OutageFilter()
        self.addFilter(self.outages)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def lines() -> Iterator[Lines]:
    handler = Lines()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


@pytest.fixture(name="proxied_postgres")
def proxied_postgres_fixture() -> Iterator[tuple[TcpProxy, str]]:
    with proxied_postgres() as found:
        yield found


@pytest.mark.postgres
@pytest.mark.slow
async def test_during_a_database_outage_deliveries_are_spooled_or_refused_and_none_is_lost(
    tmp_path: Path, fake_github: FakeGitHub, proxied_postgres: tuple[TcpProxy, str], lines: Lines
) -> None:
    proxy, url = proxied_postgres
    port = free_port()
    hook = fake_github.add_hook(f"http://127.0.0.1:{port}/github/webhook", SECRET)
    record = len(encode(Received("github:" + "x" * 36, "issues", json.dumps(ask(100)), "d" * 64)))
    limit = 3 * record  # three fit on disk; the rest are answered 503
    bot = await start(tmp_path, fake_github, port, hook, dslp_database_url=url,
                      dslp_spool_max_bytes=limit, dslp_coalesce_after=0)  # fmt: skip
    # One message per Ask, so each can be counted (bursts are summed up by default).
    try:
        await set_up_team(bot)
        await until(lambda: fake_github.count("GET", r"/repos/octo/dslp/hooks/\d+/deliveries"))
        proxy.cut()
        sent = [await fake_github.deliver(hook, "issues", ask(100 + n)) for n in range(30)]
        assert [d.status_code for d in sent] == [202] * 3 + [503] * 27
        assert lines.outages.counts.get("database", 0) >= 1
        assert len(lines.lines) <= 4, lines.lines  # 30 refused requests: a line per kind

        proxy.restore()
        await until(lambda: fake_github.count("POST", ATTEMPTS) == 27)
        await fake_github.redeliveries_done()
        keys = ["github:" + d.guid for d in sent]
        await until(lambda: len(bot.slack.replies) >= 30)
        await bot.settle()
        assert await bot.notifications.inbox.known(keys) == set(keys)
        told = asks_told(bot)
        assert len(told) == 30, "each Ask told once: none lost, none twice"
        assert not any(path.suffix == ".spool" for path in (tmp_path / "data" / "spool").iterdir())
    finally:
        await stop_bot(bot)


async def test_a_database_error_while_writing_notifications_does_not_log_their_text(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    await asyncio.to_thread(_rename, bot, "notifications", "notifications_away")
    payload = issue_payload("opened", number=9, title="Confidential merger model", labels=("Ask",))
    status, _ = await bot.post("issues", payload)
    assert status == 202
    assert "inbox row" in caplog.text, "the failed write was logged"
    assert "Confidential" not in caplog.text and "merger" not in caplog.text


def _rename(bot: Bot, old: str, new: str) -> None:
    with bot.app.database.engine.begin() as connection:
        connection.exec_driver_sql(f"ALTER TABLE {old} RENAME TO {new}")
