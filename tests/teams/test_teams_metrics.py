"""Teams sends are counted like GitHub's and Slack's; `/metrics` stays on the request port
when DSLP_METRICS_PORT is not set."""

from __future__ import annotations

import pytest

from tests.teams.conftest import Teams

pytestmark = pytest.mark.slow


async def test_sends_and_a_429_are_counted(teams: Teams) -> None:
    teams.connector.fail_next(429, retry_after="1")
    await teams.say("help")
    response = await teams.client.get("/metrics")
    assert response.status == 200
    text = await response.text()
    assert (
        'dslp_outbound_requests_total{endpoint="activities",outcome="rate_limited",'
        'service="teams"} 1.0'
    ) in text
    assert (
        'dslp_outbound_requests_total{endpoint="activities",outcome="ok",service="teams"}'
    ) in text
    assert 'dslp_rate_limit_wait_seconds_total{service="teams"} 1.0' in text
