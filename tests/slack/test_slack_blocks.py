"""Block Kit rendering, modal metadata and log redaction: pure functions, no server."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from adapters.slack.blocks import MAX_BLOCKS, chunks, escape, messages, mrkdwn, unescape
from adapters.slack.home import home_view
from adapters.slack.modal import Meta, form_values, form_view
from adapters.slack.places import channel_place, direct_place, target
from adapters.slack.redact import Redact
from bot.conversation.forms import form_spec
from bot.flows.ask import ASK
from bot.mentions import mention
from bot.types import (
    Choice,
    Draft,
    FiledAsk,
    ListItem,
    Place,
    Readiness,
    Say,
    ShowFiled,
    ShowList,
    ShowPreview,
)


def test_text_is_escaped_so_nobody_can_ping_the_channel() -> None:
    assert mrkdwn("Hi <!channel> & <@U123>") == "Hi &lt;!channel&gt; &amp; &lt;@U123&gt;"


def test_core_mention_tokens_become_slack_mentions() -> None:
    text = f"ping {mention('slack:T1:U42')} and {mention('slack:T1:group:S9')}"
    assert mrkdwn(text) == "ping <@U42> and <!subteam^S9>"


def test_a_forged_or_foreign_mention_is_shown_as_text() -> None:
    assert mrkdwn(mention("slack:T1:U1>|<!channel")) == "U1&gt;|&lt;!channel"
    assert mrkdwn(mention("teams:tenant:a<b")) == "a&lt;b"


def test_bold_becomes_slack_bold() -> None:
    assert mrkdwn("**Title** (1 of 10)") == "*Title* (1 of 10)"


@given(st.text())
def test_unescape_undoes_escape(text: str) -> None:
    assert unescape(escape(text)) == text


@given(st.text(min_size=0, max_size=9000))
def test_chunks_respect_the_limit_and_lose_only_line_breaks(text: str) -> None:
    pieces = chunks(text, 3000)
    assert all(len(piece) <= 3000 for piece in pieces)
    kept, original = "".join(pieces).replace("\n", ""), text.replace("\n", "")
    assert original.startswith(kept) and not original[len(kept) :].strip()


def test_a_long_list_is_split_into_messages_within_slacks_limits() -> None:
    items = tuple(
        ListItem(
            f"#{n} " + "word " * 700, (Choice("Open", url=f"https://x/{n}"), Choice("Done", "done"))
        )
        for n in range(120)
    )
    pages = messages([ShowList("Your Asks", items, "footer")])
    assert len(pages) > 1
    for page in pages:
        assert len(page.blocks) <= MAX_BLOCKS
        ids = [e["action_id"] for b in page.blocks if b["type"] == "actions" for e in b["elements"]]
        assert len(ids) == len(set(ids))
        for block in page.blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= 3000


def test_a_long_say_spreads_over_sections_and_buttons_carry_their_values() -> None:
    [page] = messages(
        [Say("x" * 7000, (Choice("Skip", "skip"), Choice("GitHub", url="https://gh/1")))]
    )
    sections = [b for b in page.blocks if b["type"] == "section"]
    assert len(sections) == 3
    buttons = page.blocks[-1]["elements"]
    assert buttons[0]["value"] == "skip" and buttons[1]["url"] == "https://gh/1"
    assert len(page.text) <= 3000


def test_preview_and_filed_replies_render() -> None:
    readiness = Readiness(("Title",), (("Metrics", "add a number"),), ("Data",), ())
    preview = ShowPreview(
        "T <b>", "## Problem\n" + "text\n" * 3000, readiness, (Choice("Submit", "submit"),)
    )
    filed = ShowFiled(
        7, "https://github.com/o/r/issues/7", "A <title>", "3 of 10", ("label dropped",)
    )
    [page] = messages([preview, filed])
    text = json.dumps(page.blocks)
    assert "*Problem*" in text and "A &lt;title&gt;" in text
    assert "<https://github.com/o/r/issues/7|#7" in text
    assert page.blocks[0]["type"] == "header"


def test_metadata_round_trips_and_stays_under_slacks_limit() -> None:
    meta = Meta("d1", "U1", "T1", "C1", "1.2", "https://hooks.slack.com/x")
    assert Meta.load(meta.dump()) == meta
    huge = Meta("d1", "U1", response_url="https://x/" + "a" * 4000)
    assert len(huge.dump()) <= 3000 and Meta.load(huge.dump()) == Meta("d1", "U1")
    for bad in (
        "",
        "nope",
        "[]",
        '{"v": 1}',
        '{"v": 1, "draft": "d", "user": 3}',
        '{"v":1,"x":"y"}',
    ):
        assert Meta.load(bad) is None


def test_the_form_has_every_field_and_reads_back_only_complete_views() -> None:
    draft = Draft(id="d1", flow="ask", owner="slack:T1:U1", origin=Place("slack", "C1"))
    view = form_view(form_spec(ASK, draft), Meta("d1", "U1"))
    assert [b["block_id"] for b in view["blocks"]] == [s.key for s in ASK.steps]
    keys = tuple(s.key for s in ASK.steps)
    values = {k: {k: {"type": "plain_text_input", "value": "v"}} for k in keys}
    assert form_values({"state": {"values": values}}, keys) == dict.fromkeys(keys, "v")
    del values["data"]
    assert form_values({"state": {"values": values}}, keys) is None


def test_the_home_tab_stays_under_100_blocks_with_many_asks() -> None:
    origin = Place("slack", "C1")
    asks = [FiledAsk(n, f"https://x/{n}", "t" * 120, "k", "n", origin, "d") for n in range(300)]
    drafts = [Draft(id=f"d{n}", flow="ask", owner="k", origin=origin) for n in range(30)]
    view = home_view(asks, drafts, {"ask": ASK})
    assert len(view["blocks"]) <= 100
    assert "phase: *Ask*" in json.dumps(view)


def test_slack_places_carry_the_owner_for_the_dm_fallback() -> None:
    place = channel_place(channel="C1", team="T1", thread="1.2", owner="U1")
    assert (target(place).channel, target(place).thread, target(place).owner) == ("C1", "1.2", "U1")
    dm = target(direct_place(user="U1", team="T1"))
    assert dm.direct and dm.owner == "U1"


def test_the_redactor_removes_bodies_tokens_and_secrets() -> None:
    redact = Redact(("s3cret",))
    line = "Invalid request signature detected (signature: v0=1, timestamp: 2, body: text=hello)"
    assert "hello" not in redact.clean(line)
    assert redact.clean("token xoxb-1-2-abc and s3cret") == "token [redacted] and [redacted]"


def test_slack_mentions_in_typed_text_become_core_tokens_and_forgeries_stay_text() -> None:
    from adapters.slack.payloads import text_of

    typed = (
        "role add data-scientist <@UBEN|ben> <!subteam^S9|@ml> <!channel> &lt;@UFAKE&gt; \ue000x"
    )
    text = text_of(typed, "T1")
    assert mention("slack:T1:UBEN") in text and mention("slack:T1:group:S9") in text
    assert "<!channel>" not in text and "<@UFAKE>" in text and "\ue000x" not in text
    assert mrkdwn(text).count("<@UBEN>") == 1 and "&lt;@UFAKE&gt;" in mrkdwn(text)


def test_a_folded_list_is_compact_lines_in_one_message_without_buttons() -> None:
    items = tuple(
        ListItem(f"New Ask #{n} “Ask {n}”: https://x/{n}", (Choice("Open", "x"),))
        for n in range(100)
    )
    [page] = messages([ShowList("100 new Asks in o/r.", items, "One message.", folded=True)])
    assert len(page.blocks) < 10
    assert all(block["type"] != "actions" for block in page.blocks)
    text = json.dumps(page.blocks, ensure_ascii=False)
    assert "- New Ask #0 “Ask 0”: https://x/0\\n- New Ask #1" in text
    assert "New Ask #99" in text
