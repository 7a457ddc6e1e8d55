"""The spool: durable, bounded, replayed into the inbox exactly once, torn tails ignored."""

from __future__ import annotations

import asyncio
import fcntl
from pathlib import Path

import pytest

from storage.database import Database
from storage.inbox import Received, SqlInbox
from storage.spool import SUFFIX, Spool, SpoolFull, encode


def received(n: int) -> Received:
    return Received(f"github:d{n}", "issues", '{"action": "opened", "title": "t\\u00e9"}')


def files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*" + SUFFIX))


async def test_spooled_deliveries_reach_the_inbox_once_and_the_file_goes(
    database: Database, tmp_path: Path
) -> None:
    spool = Spool(tmp_path / "spool", max_bytes=1 << 20)
    await asyncio.gather(*(spool.add(received(n)) for n in range(50)))
    assert spool.pending() and len(files(tmp_path / "spool")) == 1, "one file, one fsync a batch"
    inbox = SqlInbox(database)
    assert await spool.replay(inbox) == 50
    assert not spool.pending()
    assert await inbox.counts() == {"received": 50, "waiting": 50}
    assert await spool.replay(inbox) == 0
    await spool.add(received(50))
    assert await spool.replay(inbox) == 1, "appending goes on in a new file after a replay"
    assert await inbox.counts() == {"received": 51, "waiting": 51}
    spool.close()


async def test_a_replay_cut_short_keeps_the_file_and_the_next_one_adds_each_delivery_once(
    database: Database, tmp_path: Path
) -> None:
    spool = Spool(tmp_path / "spool", max_bytes=1 << 20)
    for n in range(5):
        await spool.add(received(n))
    inbox = SqlInbox(database)
    await inbox.add(received(2))  # already in: the inbox skips it
    await asyncio.to_thread(_rename_inbox, database, "inbox", "inbox_away")
    with pytest.raises(Exception, match="inbox"):
        await spool.replay(inbox)
    assert spool.pending(), "nothing is deleted until every record is in"
    await asyncio.to_thread(_rename_inbox, database, "inbox_away", "inbox")
    assert await spool.replay(inbox) == 5
    assert await inbox.counts() == {"received": 5, "waiting": 5}
    spool.close()


def _rename_inbox(database: Database, old: str, new: str) -> None:
    with database.engine.begin() as connection:
        connection.exec_driver_sql(f"ALTER TABLE {old} RENAME TO {new}")


async def test_the_spool_refuses_what_is_past_its_limit(tmp_path: Path) -> None:
    one = len(encode(received(0)))
    spool = Spool(tmp_path / "spool", max_bytes=3 * one)
    results = await asyncio.gather(
        *(spool.add(received(n)) for n in range(5)), return_exceptions=True
    )
    assert [isinstance(result, SpoolFull) for result in results] == [False] * 3 + [True] * 2
    spool.close()
    with pytest.raises(SpoolFull):
        await Spool(tmp_path / "spool", max_bytes=3 * one).add(received(9))


async def test_a_torn_last_record_is_ignored_and_the_whole_ones_replayed(
    database: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    directory = tmp_path / "spool"
    directory.mkdir()
    whole = encode(received(1)) + encode(received(2))
    (directory / f"dead-1-1{SUFFIX}").write_bytes(whole + encode(received(3))[:-4])
    (directory / f"dead-2-1{SUFFIX}").write_bytes(encode(received(4)) + b"\x00\x00")
    inbox = SqlInbox(database)
    assert await Spool(directory, max_bytes=1 << 20).replay(inbox) == 3
    assert await inbox.known(["github:d1", "github:d2", "github:d3", "github:d4"]) == {
        "github:d1", "github:d2", "github:d4"
    }  # fmt: skip
    assert not files(directory)
    assert "torn record" in caplog.text


async def test_a_file_another_process_holds_is_left_to_it(
    database: Database, tmp_path: Path
) -> None:
    directory = tmp_path / "spool"
    directory.mkdir()
    path = directory / f"other-1-1{SUFFIX}"
    path.write_bytes(encode(received(1)))
    inbox = SqlInbox(database)
    with path.open("rb") as held:  # another process appending to it
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        assert await Spool(directory, max_bytes=1 << 20).replay(inbox) == 0
    assert path.exists()
    assert await Spool(directory, max_bytes=1 << 20).replay(inbox) == 1, "once it died, ours"
