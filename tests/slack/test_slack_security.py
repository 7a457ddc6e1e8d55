"""What Slack and hostile input demand: signatures, replays, retries, stale views, logs."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from adapters.slack.modal import Meta
from adapters.slack.signing import OFF_LOOP_BYTES, RecentKeys, signed_off_loop
from tests.fakes.slack_api import TOKEN
from tests.slack.conftest import (
    ANA,
    BEN,
    GOOD,
    SIGNING_SECRET,
    SlackHarness,
    as_text,
    open_form,
    signed_headers,
)

pytestmark = pytest.mark.slow
ANA_KEY = f"slack:T0TEST:{ANA}"


async def test_a_bad_signature_is_refused_and_nothing_runs(slack: SlackHarness) -> None:
    answer = await slack.command("ask", secret="not-the-secret")
    assert answer.status == 401
    await slack.settle()
    assert slack.fake.calls == [] and slack.fake.responses == []
    assert await slack.app.drafts.list_open(owner=ANA_KEY) == []


async def test_a_replayed_old_request_is_refused(slack: SlackHarness) -> None:
    answer = await slack.command("help", age=10 * 60)
    assert answer.status == 401
    await slack.settle()
    assert slack.fake.responses == []


async def test_url_verification_echoes_the_challenge(slack: SlackHarness) -> None:
    body = json.dumps({"token": "legacy", "challenge": "c-123", "type": "url_verification"})
    answer = await slack.post(body, "application/json")
    assert answer.status == 200 and "c-123" in answer.text


async def test_a_retried_event_delivery_is_answered_once(slack: SlackHarness) -> None:
    first = await slack.dm("help", event_id="Ev-once")
    retried = await slack.dm("help", event_id="Ev-once", retry=1)
    again = await slack.dm("help", event_id="Ev-once", retry=2)
    assert first.status == retried.status == again.status == 200
    await slack.settle()
    assert len(slack.fake.to("chat.postMessage")) == 1


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Everything at DEBUG from before the app is built, as a careless deployment would log."""
    caplog.set_level(logging.DEBUG)
    return caplog


async def test_no_body_token_or_secret_reaches_the_logs(
    debug_logs: pytest.LogCaptureFixture, slack: SlackHarness
) -> None:
    caplog = debug_logs
    await slack.command("ask PRIVATE-ANSWER-42", secret="forged")
    await slack.dm("ask PRIVATE-ANSWER-43", age=3600)
    await slack.command("status")
    await slack.settle()
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for secret in ("PRIVATE-ANSWER-42", "PRIVATE-ANSWER-43", SIGNING_SECRET, TOKEN):
        assert secret not in logged


async def test_payloads_of_unknown_type_and_unknown_buttons_are_acked_quietly(
    slack: SlackHarness,
) -> None:
    unknown = await slack.interaction({"type": "something_new", "user": {"id": ANA}})
    button = await slack.press({"action_id": "from_an_old_version", "value": "x"})
    event = await slack.event({"type": "reaction_added", "user": ANA})
    assert unknown.status == button.status == event.status == 200
    await slack.settle()
    assert slack.fake.to("chat.postMessage") == []


async def test_a_view_of_an_unknown_callback_id_gets_an_out_of_date_note(
    slack: SlackHarness,
) -> None:
    answer = await slack.submit_view({"callback_id": "old_form_v0", "private_metadata": ""}, {})
    body = answer.json()
    assert body["response_action"] == "update" and "out of date" in as_text(body)


async def test_unreadable_metadata_is_refused_without_touching_drafts(slack: SlackHarness) -> None:
    view = await open_form(slack)
    for metadata in ("not json", json.dumps({"v": 99, "draft": "x", "user": ANA}), "[]"):
        answer = await slack.submit_view({**view, "private_metadata": metadata}, GOOD)
        assert answer.json()["response_action"] == "update"
    drafts = await slack.app.drafts.list_open(owner=ANA_KEY)
    assert dict(drafts[0].answers) == {}


async def test_a_view_naming_someone_elses_draft_is_refused(slack: SlackHarness) -> None:
    view = await open_form(slack, "ask Ana's own title")
    answer = await slack.submit_view(view, {**GOOD, "title": "Ben was here"}, user=BEN)
    assert "someone else" in as_text(answer.json())
    meta = Meta.load(view["private_metadata"])
    assert meta is not None
    forged = Meta(meta.draft, BEN, meta.team, meta.channel).dump()
    answer = await slack.submit_view({**view, "private_metadata": forged}, GOOD, user=BEN)
    assert "out of date" in as_text(answer.json())
    drafts = await slack.app.drafts.list_open(owner=ANA_KEY)
    assert drafts[0].answers["title"] == "Ana's own title"


async def test_a_form_missing_fields_is_stale_and_loses_no_saved_answer(
    slack: SlackHarness,
) -> None:
    view = await open_form(slack)
    await slack.submit_view(view, {**GOOD, "data": "CRM accounts table"})
    partial = {key: value for key, value in GOOD.items() if key != "data"}
    answer = await slack.submit_view(view, partial)
    assert "out of date" in as_text(answer.json())
    drafts = await slack.app.drafts.list_open(owner=ANA_KEY)
    assert drafts[0].answers["data"] == "CRM accounts table"


async def test_giant_pastes_in_a_dm_are_refused_kindly(slack: SlackHarness) -> None:
    await slack.dm("ask")
    await slack.settle()
    await slack.dm("y" * 50_000)
    await slack.settle()
    posts = await slack.fake.wait_for("chat.postMessage", 2)
    assert "at most" in as_text(posts[-1])
    assert all(len(b["text"]["text"]) <= 3000 for p in posts for b in p["blocks"] if "text" in b)


async def test_slack_retrying_while_the_first_delivery_runs_still_answers_once(
    slack: SlackHarness,
) -> None:
    slack.fake.delay_next("chat.postMessage", 0.5)
    await asyncio.gather(
        slack.dm("help", event_id="Ev-race"), slack.dm("help", event_id="Ev-race", retry=1)
    )
    await slack.settle()
    assert len(slack.fake.to("chat.postMessage")) == 1


NESTED = "[" * 1_000_000
FORM = "application/x-www-form-urlencoded"


def no_traceback(caplog: pytest.LogCaptureFixture) -> bool:
    return all(record.exc_info is None for record in caplog.records) and (
        "Traceback" not in caplog.text
    )


async def test_an_unsigned_megabyte_of_nesting_is_refused_before_it_is_parsed(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    headers = signed_headers(NESTED, "application/json", secret="not-the-secret")
    for sent in ({"Content-Type": "application/json"}, headers):
        answer = await slack.send(NESTED.encode(), sent)
        assert answer.status == 401
    assert no_traceback(caplog)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (NESTED, "application/json"),
        ('{"type": "event_callback", "event": ' * 5_000, "application/json"),
        ("{not json", "application/json"),
        ("payload=" + "%5B" * 100_000, FORM),
        ("payload=%7Bnot+json", FORM),
        ("payload=%5B%5D", FORM),
    ],
)
async def test_a_signed_body_that_cannot_be_read_gets_400_without_a_traceback(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, body: str, content_type: str
) -> None:
    answer = await slack.post(body, content_type)
    assert answer.status == 400
    assert no_traceback(caplog)


@pytest.mark.parametrize("timestamp", ["not-a-number", "9" * 5000, ""])
async def test_a_timestamp_that_is_not_a_number_gets_401(
    slack: SlackHarness, timestamp: str
) -> None:
    body = slack.command_body("help")
    headers = {**signed_headers(body, FORM), "X-Slack-Request-Timestamp": timestamp}
    assert (await slack.send(body.encode(), headers)).status == 401


async def test_a_signed_command_replayed_within_the_window_runs_once(slack: SlackHarness) -> None:
    body = slack.command_body("help")
    headers = signed_headers(body, FORM)
    answers = [await slack.send(body.encode(), headers) for _ in range(3)]
    assert [answer.status for answer in answers] == [200, 200, 200]
    await slack.settle()
    assert len(slack.fake.responses) == 1


async def test_a_replayed_form_submission_files_nothing_twice(slack: SlackHarness) -> None:
    view = await open_form(slack)
    payload = {
        "type": "view_submission",
        "team": {"id": "T0TEST"},
        "user": {"id": ANA, "username": "uana", "name": "uana", "team_id": "T0TEST"},
        "trigger_id": "trigger-once",
        "view": {**view, "state": {"values": {}}},
    }
    body = urlencode({"payload": json.dumps(payload)})
    headers = signed_headers(body, FORM)
    first = await slack.send(body.encode(), headers)
    again = await slack.send(body.encode(), headers)
    assert first.status == again.status == 200
    assert first.text and again.text == ""


async def test_a_dm_of_unclosed_markup_at_slacks_length_cap_is_answered_briefly(
    slack: SlackHarness,
) -> None:
    """Read in linear time (see tests/security/test_linear_parsers.py), named, not echoed."""
    answer = await slack.dm("<!x|" * 10_000)
    assert answer.status == 200
    await slack.settle()
    posts = await slack.fake.wait_for("chat.postMessage")
    assert "I don't know the command" in as_text(posts[0])
    assert len(as_text(posts[0])) < 5_000


async def test_a_replayed_event_delivery_runs_once(slack: SlackHarness) -> None:
    body = json.dumps(
        {"token": "legacy", "team_id": "T0TEST", "api_app_id": "A1", "type": "event_callback",
         "event_id": "Ev-replayed", "event_time": 1,
         "event": {"type": "message", "channel": f"D{ANA}", "channel_type": "im", "user": ANA,
                   "text": "help", "ts": "1.1"}}
    )  # fmt: skip
    headers = signed_headers(body, "application/json")
    answers = [await slack.send(body.encode(), headers) for _ in range(3)]
    assert [answer.status for answer in answers] == [200, 200, 200]
    await slack.settle()
    assert len(slack.fake.to("chat.postMessage")) == 1


def test_replay_keys_kept_in_memory_during_an_outage_are_bounded_in_time_and_number() -> None:
    now = [0.0]
    keys = RecentKeys(timedelta(minutes=15), most=2, clock=lambda: now[0])
    assert keys.first_time("a") and not keys.first_time("a")
    assert keys.first_time("b") and keys.first_time("c")  # "a" goes: at most two are held
    assert keys.first_time("a")
    now[0] = 16 * 60.0
    assert keys.first_time("c"), "older than Slack's window: forgotten"


@pytest.mark.parametrize("size", [10, OFF_LOOP_BYTES, 40_000])
async def test_long_bodies_hashed_beside_the_loop_are_checked_alike(size: int) -> None:
    """A body hashed in a worker thread is held to the same signature as a short one."""
    body = "x" * size
    good = signed_headers(body, "application/json")
    forged = signed_headers(body, "application/json", secret="not-the-secret")
    stale = signed_headers(body, "application/json", age=10 * 60)
    assert await signed_off_loop(body.encode(), good, SIGNING_SECRET)
    assert not await signed_off_loop(body.encode(), forged, SIGNING_SECRET)
    assert not await signed_off_loop(body.encode(), stale, SIGNING_SECRET)
    assert not await signed_off_loop(body.encode() + b" ", good, SIGNING_SECRET)


async def test_a_dm_of_many_mentions_and_empty_markup_is_answered_briefly(
    slack: SlackHarness,
) -> None:
    """The benchmark's other hostile shapes: every mention rewritten, `<>` left as typed."""
    for text in ("<@U0HOSTILE>" * 3_333, "<>" * 20_000):
        assert (await slack.dm(text)).status == 200
    await slack.settle()
    posts = await slack.fake.wait_for("chat.postMessage", count=2)
    assert all(len(as_text(post)) < 5_000 for post in posts)
