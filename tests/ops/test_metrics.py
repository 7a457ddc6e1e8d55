"""/metrics: requests by route and outcome, and the backlog read from the database."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.metrics import Metrics
from bot.types import Draft, Place, Stage
from storage.drafts import SqlDraftStore
from storage.stats import SqlStats
from tests.support.databases import make_database


async def test_scrapes_show_requests_and_the_waiting_work(tmp_path: Path) -> None:
    with make_database("sqlite", tmp_path) as database:
        database.migrate()
        drafts = SqlDraftStore(database)
        place = Place(platform="slack", channel_id="C1", team_id="T1")
        draft = Draft(
            id="d1", flow="ask", owner="slack:T1:U1", origin=place, stage=Stage.SUBMITTING
        )
        await drafts.save(draft=draft)
        metrics = Metrics(SqlStats(database).backlog)
        app = web.Application(middlewares=[metrics.middleware])
        app.add_routes([web.get("/metrics", metrics.expose)])
        async with TestClient(TestServer(app)) as client:
            await client.get("/metrics")
            await client.get("/no/such/path")
            text = await (await client.get("/metrics")).text()
    assert "dslp_filings_waiting 1.0" in text
    assert "dslp_outbox_depth 0.0" in text
    assert 'dslp_http_requests_total{outcome="2xx",route="/metrics"} 1.0' in text
    assert 'route="unmatched"' in text and "/no/such/path" not in text
