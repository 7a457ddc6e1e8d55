"""Fuzzed, signed Slack payloads: form-encoded, JSON and `payload=` wrapped. Never a 5xx."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.slack.conftest import SlackHarness
from tests.support.strategies import JSON

TYPES = st.sampled_from(
    ["block_actions", "view_submission", "view_closed", "shortcut", "message_action",
     "block_suggestion", "event_callback", "url_verification", "nonsense", ""]
)  # fmt: skip
PAYLOADS = st.builds(
    lambda kind, extra: {**extra, "type": kind},
    TYPES,
    st.dictionaries(
        st.sampled_from(
            [
                "user",
                "team",
                "view",
                "actions",
                "callback_id",
                "trigger_id",
                "event",
                "channel",
                "message",
                "container",
                "response_url",
            ]
        ),
        JSON,
        max_size=6,
    ),
)
FORMS = st.dictionaries(
    st.sampled_from(["command", "text", "user_id", "team_id", "channel_id", "trigger_id",
                     "response_url", "payload", "ssl_check"]),
    st.text(max_size=60), max_size=8,
)  # fmt: skip
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(payload=PAYLOADS)
@example(payload={"type": "block_actions", "actions": []})  # found by the fuzz, 1 run in ~5
@example(payload={"type": "block_actions", "actions": [{}]})
@example(payload={"type": "block_actions", "actions": [{"action_id": "a", "block_id": 1}]})
async def test_interactive_payloads_of_any_shape(
    slack: SlackHarness, payload: dict[str, Any]
) -> None:
    answer = await slack.post(
        urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    )
    assert answer.status < 500, answer.text


@FUZZ
@given(body=PAYLOADS)
@example(body={"type": "block_actions", "actions": []})
@example(body={"type": "block_actions", "actions": [{}]})
async def test_json_events_of_any_shape(slack: SlackHarness, body: dict[str, Any]) -> None:
    answer = await slack.post(json.dumps(body), "application/json")
    assert answer.status < 500, answer.text


@FUZZ
@given(form=FORMS)
async def test_form_bodies_of_any_shape(slack: SlackHarness, form: dict[str, str]) -> None:
    answer = await slack.post(urlencode(form), "application/x-www-form-urlencoded")
    assert answer.status < 500, answer.text


@FUZZ
@given(
    raw=st.text(max_size=200),
    kind=st.sampled_from(
        [
            "text/plain",
            "application/json",
            "application/x-www-form-urlencoded",
            "application/octet-stream",
        ]
    ),
)
async def test_raw_bodies_and_content_types(slack: SlackHarness, raw: str, kind: str) -> None:
    answer = await slack.post(raw, kind)
    assert answer.status < 500, answer.text


async def test_nulls_slack_itself_sends_are_not_refused(slack: SlackHarness) -> None:
    """`enterprise` is null outside Enterprise Grid; the shape check must let that through."""
    payload = {
        "type": "block_actions",
        "user": {"id": "U1", "team_id": "T1"},
        "team": {"id": "T1", "domain": "example"},
        "enterprise": None,
        "api_app_id": "A1",
        "trigger_id": "1.2.3",
        "container": {"type": "message", "message_ts": "1700000000.000100"},
        "channel": {"id": "D1", "name": "directmessage"},
        "actions": [
            {"action_id": "dslp_choice_0", "block_id": "b", "type": "button", "value": "help"}
        ],
        "response_url": slack.fake.response_url("nulls"),
    }
    answer = await slack.interaction(payload)
    assert answer.status == 200, answer.text


async def test_a_malformed_payload_without_a_valid_signature_is_401_not_400(
    slack: SlackHarness,
) -> None:
    body = urlencode({"payload": json.dumps({"type": "block_actions", "view": None})})
    answer = await slack.post(body, "application/x-www-form-urlencoded", secret="wrong")
    assert answer.status == 401
