"""Outbound traffic and the private metrics port, scraped from the real server.

The app runs with DSLP_METRICS_PORT: `/metrics` answers there and is a 404 on
the request port. Calls to the fake Slack and GitHub, a 429 with `Retry-After`
from each among them, show up as `dslp_outbound_requests_total` by service,
endpoint family and outcome, and the waits as `dslp_rate_limit_wait_seconds_total`.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import ClientSession
from prometheus_client.parser import text_string_to_metric_families

from adapters.app import App
from tests.slack.conftest import SlackHarness
from tests.support.processes import free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def slack_overrides() -> dict[str, Any]:
    return {"host": "127.0.0.1", "dslp_metrics_port": free_port()}


async def _scrape(app: App) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    url = f"http://127.0.0.1:{app.settings.dslp_metrics_port}/metrics"
    async with ClientSession() as session, session.get(url) as response:
        assert response.status == 200
        text = await response.text()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _outbound(service: str, endpoint: str, outcome: str) -> tuple[str, Any]:
    labels = {"service": service, "endpoint": endpoint, "outcome": outcome}
    return "dslp_outbound_requests_total", tuple(sorted(labels.items()))


def _waited(service: str) -> tuple[str, Any]:
    return "dslp_rate_limit_wait_seconds_total", (("service", service),)


async def test_metrics_are_on_their_own_port_only(slack: SlackHarness) -> None:
    public = slack.url.removesuffix("/slack/events")
    async with ClientSession() as session, session.get(f"{public}/metrics") as response:
        assert response.status == 404
    assert "dslp_outbox_depth" in {name for name, _ in await _scrape(slack.app)}


async def test_slack_calls_and_a_429_are_counted(slack: SlackHarness) -> None:
    slack.fake.rate_limit_next("chat.postMessage", retry_after=1)
    await slack.dm("help")
    await slack.settle()
    samples = await _scrape(slack.app)
    assert samples[_outbound("slack", "chat.postMessage", "rate_limited")] == 1
    assert samples[_outbound("slack", "chat.postMessage", "ok")] == 1
    assert samples[_waited("slack")] >= 1
    assert not any("/api/" in str(labels) for _, labels in samples)  # families, not URLs


async def test_github_calls_and_a_429_are_counted(slack: SlackHarness) -> None:
    slack.github.rate_limit_next("POST", r".*/issues", retry_after=1, status=429)
    body = "Counted.\n<!-- marker -->"
    await slack.app.tracker.create_issue(title="t", body=body, labels=[], marker="<!-- marker -->")
    missing = await slack.app.tracker.get_issue(number=999)
    samples = await _scrape(slack.app)
    assert missing is None
    assert samples[_outbound("github", "create_issue", "rate_limited")] == 1
    assert samples[_outbound("github", "create_issue", "ok")] == 1
    assert samples[_outbound("github", "get_issue", "ok")] == 1
    assert samples[_waited("github")] >= 1
