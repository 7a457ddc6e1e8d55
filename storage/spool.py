"""The spool: verified deliveries kept on local disk while the database cannot take them.

GitHub does not redeliver a delivery we refused, so while the database is
unreachable the webhook appends the delivery here and answers 202 only once
it is on disk. Files are append-only runs of records (a 4-byte length, a
CRC-32, then the delivery as JSON); a batch is written and fsynced before any
of its callers is answered, so a crash mid-write leaves at most a torn last
record, which reading stops at (nobody was answered for it).

Each process appends to a file of its own and holds an exclusive `flock` on
it; `replay` takes every file it can lock (its own, sealed first, and any a
dead process left behind), adds the records to the inbox, which skips a
delivery it already has, and deletes the file only once all of them are in.
So each delivery reaches the inbox exactly once, by whichever process holds
its file, however often a replay is cut short.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import logging
import os
import socket
import struct
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from storage.batching import GroupCommit
from storage.inbox import Received, SqlInbox

log = logging.getLogger(__name__)

HEADER = struct.Struct(">II")  # length, crc32 of the record's bytes
SUFFIX = ".spool"
BATCH = 500
REPLAY_CHUNK = 500


class SpoolFull(Exception):
    """`DSLP_SPOOL_MAX_BYTES` is reached: the delivery was not kept."""


class Spool:
    def __init__(self, directory: Path, *, max_bytes: int) -> None:
        self._directory = directory
        self._max_bytes = max_bytes
        self._file: BinaryIO | None = None
        self._turn = asyncio.Lock()  # appends and sealing never overlap
        self._commits: GroupCommit[Received, bool] = GroupCommit(self._append, batch=BATCH)
        directory.mkdir(parents=True, exist_ok=True)
        self._used = _size(directory)

    async def add(self, received: Received) -> None:
        """Returns once the delivery is on disk; raises `SpoolFull` (or OSError) otherwise."""
        if not await self._commits.submit(received):
            raise SpoolFull(f"the spool holds {self._used} bytes")

    def pending(self) -> bool:
        """Whether any spool file is waiting (this process's or one a dead process left)."""
        return any(self._directory.glob("*" + SUFFIX))

    async def replay(self, inbox: SqlInbox) -> int:
        """Move every spooled delivery this process can lock into the inbox; returns how many.

        Raises when the inbox cannot take them: the file stays, and the next
        replay adds its records again (the inbox skips those it already has).
        """
        async with self._turn:
            self._seal()
        replayed = 0
        for path in sorted(self._directory.glob("*" + SUFFIX)):
            replayed += await self._replay_file(path, inbox)
        self._used = _size(self._directory)
        return replayed

    def close(self) -> None:
        self._seal()

    async def _replay_file(self, path: Path, inbox: SqlInbox) -> int:
        handle = await asyncio.to_thread(_locked, path)
        if handle is None:  # another process appends to it, or replays it
            return 0
        with handle:
            records = await asyncio.to_thread(read_records, handle, path)
            for start in range(0, len(records), REPLAY_CHUNK):
                chunk = records[start : start + REPLAY_CHUNK]
                await asyncio.gather(*(inbox.add(received) for received in chunk))
            await asyncio.to_thread(_remove, path)
        return len(records)

    async def _append(self, batch: Sequence[Received]) -> list[bool]:
        async with self._turn:
            return await asyncio.to_thread(self._write, batch)

    def _write(self, batch: Sequence[Received]) -> list[bool]:
        """One write and one fsync for the batch; records past the limit are refused."""
        kept, encoded = [], bytearray()
        for received in batch:
            record = encode(received)
            fits = self._used + len(encoded) + len(record) <= self._max_bytes
            kept.append(fits)
            if fits:
                encoded += record
        if encoded:
            file = self._file or self._open()
            try:
                file.write(encoded)
                file.flush()
                os.fsync(file.fileno())
            except OSError:
                self._seal()  # a half-written record ends this file; the next batch starts anew
                raise
            self._used += len(encoded)
        return kept

    def _open(self) -> BinaryIO:
        name = f"{socket.gethostname()}-{os.getpid()}-{time.time_ns()}{SUFFIX}"
        path = self._directory / name
        file = path.open("ab")
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        _sync_directory(self._directory)  # the new name survives a crash too
        self._file = file
        return file

    def _seal(self) -> None:
        """Stop appending to the current file (its lock goes with it): it can be replayed."""
        if self._file is not None:
            self._file.close()
            self._file = None


def encode(received: Received) -> bytes:
    data = json.dumps(
        {
            "delivery": received.delivery,
            "event": received.event,
            "payload": received.payload,
            "digest": received.digest,
        }
    ).encode()
    return HEADER.pack(len(data), zlib.crc32(data)) + data


def read_records(file: BinaryIO, path: Path) -> list[Received]:
    """Every whole record from the start; a torn or corrupt record ends the file."""
    file.seek(0)
    records = []
    while header := file.read(HEADER.size):
        data = file.read(HEADER.unpack(header)[0]) if len(header) == HEADER.size else b""
        if not data or zlib.crc32(data) != HEADER.unpack(header)[1]:
            log.warning("spool file %s: a torn record at its end was ignored", path.name)
            break
        fields = json.loads(data)
        records.append(
            Received(
                fields["delivery"], fields["event"], fields["payload"], fields.get("digest", "")
            )
        )
    return records


def _locked(path: Path) -> BinaryIO | None:
    """The file, opened and exclusively locked, or None when another process holds it."""
    try:
        file = path.open("rb")
    except FileNotFoundError:  # replayed and removed meanwhile
        return None
    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        file.close()
        return None
    if not path.exists():  # removed between our open and our lock
        file.close()
        return None
    return file


def _remove(path: Path) -> None:
    path.unlink()
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _size(directory: Path) -> int:
    total = 0
    for path in directory.glob("*" + SUFFIX):
        try:
            total += path.stat().st_size
        except FileNotFoundError:
            continue
    return total
