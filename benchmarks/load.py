"""A small closed-loop load generator: N workers send requests back to back and time each one."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp

Send = Callable[[aiohttp.ClientSession, int], Awaitable[int]]
"""Sends request number i and returns the HTTP status."""


@dataclass(frozen=True)
class Result:
    name: str
    concurrency: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def run_load(name: str, send: Send, *, requests: int, concurrency: int) -> Result:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(requests))
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal errors
            for i in counter:
                started = time.perf_counter()
                status = await send(session, i)
                latencies.append(time.perf_counter() - started)
                errors += status >= 300

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    ms = [latency * 1000 for latency in latencies]
    return Result(
        name,
        concurrency,
        len(ms),
        seconds,
        statistics.median(ms),
        percentile(ms, 0.99),
        max(ms),
        errors,
    )
