"""Whatever the internet posts to /github/webhook: a 2xx or a 4xx, never a 500."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from adapters.app import App
from adapters.composition import build
from adapters.composition.mounts import MOUNTS
from adapters.github.webhook import signature_for
from adapters.web import create_web_app, mount_all
from tests.support.apps import app_settings
from tests.support.strategies import JSON

SECRET = "hostile-secret"
SHAPED = st.fixed_dictionaries(
    {"action": st.sampled_from(["opened", "labeled", "closed", "edited", "", "zzz"])},
    optional={
        "issue": JSON,
        "label": JSON,
        "repository": st.fixed_dictionaries(
            {"full_name": st.sampled_from(["octo/dslp", "x/y", ""])}
        ),
        "pull_request": JSON,
        "sender": JSON,
    },
)


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[tuple[App, TestClient[Any, Any]]]:
    secret = SecretStr(SECRET)
    limits: dict[str, Any] = {"github_repository": "octo/dslp", "dslp_max_body_bytes": 65_536}
    app = build(app_settings(tmp_path, github_webhook_secret=secret, **limits))
    client = TestClient(TestServer(create_web_app(app, mount_all(app, MOUNTS))))
    await client.start_server()
    yield app, client
    await client.close()
    app.database.dispose()


def signed(body: bytes, event: str = "issues", delivery: str = "d-1") -> dict[str, str]:
    return {
        "X-Hub-Signature-256": signature_for(body, SECRET),
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery,
        "Content-Type": "application/json",
    }


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Hub-Signature-256": ""},
        {"X-Hub-Signature-256": "sha1=" + "0" * 40},
        {"X-Hub-Signature-256": "sha256=" + "0" * 64},
        {"X-Hub-Signature-256": "sha256=zz"},
        {"X-Hub-Signature-256": "SHA256=" + signature_for(b"{}", SECRET)[7:]},
    ],
)
async def test_missing_wrong_scheme_or_forged_signatures_get_401(
    server: tuple[App, TestClient[Any, Any]], headers: dict[str, str]
) -> None:
    _, client = server
    response = await client.post(
        "/github/webhook", data=b"{}", headers={"X-GitHub-Event": "issues", **headers}
    )
    assert response.status == 401


async def test_a_body_altered_after_signing_is_refused(
    server: tuple[App, TestClient[Any, Any]],
) -> None:
    _, client = server
    body = json.dumps({"action": "opened"}).encode()
    headers = signed(body)
    response = await client.post("/github/webhook", data=body + b" ", headers=headers)
    assert response.status == 401


async def test_oversize_bodies_get_413_before_anything_runs(
    server: tuple[App, TestClient[Any, Any]],
) -> None:
    _, client = server
    body = b"x" * 70_000
    response = await client.post("/github/webhook", data=body, headers=signed(body))
    assert response.status == 413


async def test_signed_garbage_gets_400(server: tuple[App, TestClient[Any, Any]]) -> None:
    _, client = server
    for body in (b"not json", b"\xff\xfe", b"[]", b"{}", b'{"action": "opened"}'):
        response = await client.post("/github/webhook", data=body, headers=signed(body))
        assert response.status in {400, 202}, body


@pytest.mark.parametrize(
    "body",
    [b"[" * 60_000, b'{"a": ' * 10_000, b"[" * 30_000 + b"]" * 30_000],
    ids=["open", "keys", "closed"],
)
async def test_signed_deep_nesting_gets_400_without_a_traceback(
    server: tuple[App, TestClient[Any, Any]], caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    _, client = server
    response = await client.post("/github/webhook", data=body, headers=signed(body))
    assert response.status == 400
    assert all(record.exc_info is None for record in caplog.records)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    payload=st.one_of(JSON, SHAPED),
    event=st.sampled_from(["issues", "pull_request", "ping", "push", ""]),
)
async def test_any_signed_payload_gets_a_2xx_or_4xx(
    server: tuple[App, TestClient[Any, Any]], payload: Any, event: str
) -> None:
    _, client = server
    body = json.dumps(payload).encode()
    response = await client.post(
        "/github/webhook", data=body, headers=signed(body, event, f"d-{hash(body)}")
    )
    assert response.status < 500
