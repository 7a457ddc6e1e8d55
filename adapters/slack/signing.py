"""Slack's request signature, checked on the raw bytes before anything is parsed.

Pure functions of the headers, the body and the secret (as the GitHub
webhook's `incoming`). Nothing in a body is read until it is known to come
from Slack: a forged megabyte of `[[[[…` costs one HMAC and a 401, not a
parser's recursion. A signed request is also recognised when it is sent
again: Slack accepts its own signatures for five minutes, so a copy of a
request replayed inside that window carries the very same timestamp and
signature, and `replay_key` names it.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import timedelta

from slack_sdk.signature import SignatureVerifier

TIMESTAMP = "X-Slack-Request-Timestamp"
SIGNATURE = "X-Slack-Signature"
REPLAY_PREFIX = "request:"
OFF_LOOP_BYTES = 16_384
"""Bodies this long are hashed in a worker thread: hashlib lets go of the GIL for them, so
a flood of 40,000-character DMs is hashed beside the event loop, not on it."""


def signed(body: bytes, headers: Mapping[str, str], secret: str) -> bool:
    """Whether Slack signed exactly these bytes, less than five minutes ago.

    slack_sdk's verifier (the one Bolt uses) raises on a timestamp that is
    not a number and on a body that is not UTF-8; neither can be Slack's.
    """
    verifier = SignatureVerifier(signing_secret=secret)
    try:
        return verifier.is_valid(
            body=body, timestamp=headers.get(TIMESTAMP), signature=headers.get(SIGNATURE)
        )
    except ValueError:
        return False


async def signed_off_loop(body: bytes, headers: Mapping[str, str], secret: str) -> bool:
    """`signed`, in a worker thread when the body is long (short ones cost less than the hop)."""
    if len(body) < OFF_LOOP_BYTES:
        return signed(body, headers, secret)
    return await asyncio.to_thread(signed, body, headers, secret)


def replay_key(headers: Mapping[str, str]) -> str:
    """One key per signed request: Slack signs each delivery, and each retry, afresh."""
    seen = f"{headers.get(TIMESTAMP, '')}:{headers.get(SIGNATURE, '')}"
    return REPLAY_PREFIX + hashlib.sha256(seen.encode()).hexdigest()


class RecentKeys:
    """Replay keys kept in this process while the database cannot keep them (an outage).

    Bounded: a key older than `memory` is dropped (Slack refuses signatures that old),
    and at most `most` keys are held, the oldest going first.
    """

    def __init__(
        self,
        memory: timedelta,
        most: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._memory = memory.total_seconds()
        self._most = most
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, key: str) -> bool:
        now = self._clock()
        while self._seen and (
            len(self._seen) >= self._most or next(iter(self._seen.values())) < now - self._memory
        ):
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True
