"""Core replies as Adaptive Cards and text: pure functions, checked without a server."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from adapters.teams import cards
from adapters.teams.cards import MAX_MESSAGE_BYTES, parse_action, size
from adapters.teams.mentions import Mentions, mentioned_keys
from bot.conversation.forms import FormField, FormSpec
from bot.mentions import mention
from bot.types import (
    Choice,
    ListItem,
    Readiness,
    Reply,
    Say,
    ShowFiled,
    ShowList,
    ShowPreview,
)

ALICE_KEY = "teams:tenant-1:aad-alice"
READY = Readiness(("Title",), (), (), ())


def test_a_plain_say_is_text_with_markup_escaped_and_mentions_as_entities() -> None:
    [message] = cards.render(
        [Say(f"Hi {mention(ALICE_KEY)} <at>Fake</at> & co")], {ALICE_KEY: "Alice"}
    )
    assert message.card is None
    assert message.text == "Hi <at>Alice</at> &lt;at&gt;Fake&lt;/at&gt; &amp; co"
    assert message.entities == (
        {
            "type": "mention",
            "text": "<at>Alice</at>",
            "mentioned": {"id": "aad-alice", "name": "Alice"},
        },
    )


def test_an_unknown_name_is_someone_and_other_platforms_are_not_mentions() -> None:
    mentions = Mentions({})
    text = mentions.render(f"{mention(ALICE_KEY)} and {mention('slack:T1:U1')}")
    assert text == "<at>someone</at> and someone"
    assert len(mentions.entities) == 1


def test_say_with_choices_is_a_card_whose_buttons_send_the_value_back() -> None:
    [message] = cards.render(
        [Say("Resume?", (Choice("Resume", "resume"), Choice("Docs", url="https://x")))]
    )
    assert message.card is not None and message.card["version"] == "1.5"
    submit, link = message.card["actions"]
    assert submit["type"] == "Action.Submit" and submit["data"]["text"] == "resume"
    assert submit["data"]["msteams"] == {
        "type": "messageBack",
        "text": "resume",
        "displayText": "Resume",
    }
    assert link == {"type": "Action.OpenUrl", "title": "Docs", "url": "https://x"}


def test_mentions_in_cards_are_card_entities() -> None:
    [message] = cards.render([ShowFiled(3, "https://gh/3", "Churn", f"by {mention(ALICE_KEY)}")])
    assert message.card is not None
    assert message.card["msteams"]["entities"][0]["mentioned"]["id"] == "aad-alice"
    assert message.card["actions"][0]["type"] == "Action.OpenUrl"


def test_a_preview_drops_hidden_markers_bolds_headings_and_stays_small() -> None:
    body = "## Problem\nWhy\n<!-- dslp-bot:ask draft=d1 v=1 -->\n- [ ] Impact\n" + "x" * 100_000
    [message] = cards.render([ShowPreview("Churn", body, READY, (Choice("Submit", "submit"),))])
    words = json.dumps(message.card, ensure_ascii=False)
    assert "dslp-bot:ask" not in words and "**Problem**" in words and "☐ Impact" in words
    assert size(message) < MAX_MESSAGE_BYTES
    assert "shortened" in words


def test_a_long_list_is_split_into_messages_below_the_limit() -> None:
    items = tuple(
        ListItem(f"#{n} " + "word " * 400, (Choice("Open", url=f"https://x/{n}"),))
        for n in range(60)
    )
    messages = cards.render([ShowList("Your Asks", items, "That's all")])
    assert len(messages) > 1
    assert all(size(m) < MAX_MESSAGE_BYTES for m in messages)
    everything = " ".join(json.dumps(m.card) for m in messages)
    assert all(f"#{n} " in everything for n in range(60))
    assert "That's all" in json.dumps(messages[-1].card) and "(continued)" in json.dumps(
        messages[1].card
    )


def test_the_form_card_has_one_input_per_field_and_shows_errors() -> None:
    spec = FormSpec(
        "ask",
        "Frame an Ask",
        "d1",
        (
            FormField("title", "Title", "What?", "Churn", True, 120, False, "Saved"),
            FormField("impact", "Impact", "Why?", "Money", False, 3000, True, ""),
        ),
    )
    message = cards.form(spec, errors={"title": "Too long"}, typed={"title": "typed"}, notice="Fix")
    assert message.card is not None
    fields = [e for e in message.card["body"] if e["type"] == "Input.Text"]
    assert [f["id"] for f in fields] == ["field:title", "field:impact"]
    assert (
        fields[0] | {} == fields[0]
        and fields[0]["value"] == "typed"
        and fields[0]["maxLength"] == 120
    )
    assert fields[0]["isRequired"] is True and fields[1]["isMultiline"] is True
    assert any(
        e.get("color") == "Attention" and "Too long" in e["text"] for e in message.card["body"]
    )
    assert message.card["actions"][0]["data"] == {
        "dslp": "submit_form",
        "draft": "d1",
        "flow": "ask",
        "v": 1,
    }


def test_parse_action_reads_our_buttons_only() -> None:
    action = parse_action(
        {"dslp": "submit_form", "draft": "d1", "v": 1, "field:title": "T", "x": 2}
    )
    assert action is not None and action.current and action.fields == {"title": "T"}
    assert parse_action({"text": "hi"}) is None and parse_action("dslp") is None
    assert parse_action({"dslp": "confirm", "v": True}) is not None
    assert not parse_action({"dslp": "confirm", "v": True}).current  # type: ignore[union-attr]


@given(
    st.dictionaries(
        st.text(max_size=12),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=5), inner, max_size=3)
            ),
            max_leaves=8,
        ),
    )
)
def test_parse_action_never_raises(value: dict[str, object]) -> None:
    parse_action({"dslp": "submit_form", **value})
    parse_action(value)


def test_mentioned_keys_are_found_in_every_reply_kind() -> None:
    replies: list[Reply] = [
        Say(mention("teams:t:a")),
        ShowPreview(mention("teams:t:b"), "", READY),
        ShowFiled(1, "u", "t", mention("teams:t:c")),
        ShowList("h", (ListItem(mention("teams:t:d")),)),
    ]
    assert mentioned_keys(replies) == {"teams:t:a", "teams:t:b", "teams:t:c", "teams:t:d"}


def test_a_folded_list_is_one_card_with_its_items_behind_a_button() -> None:
    items = tuple(ListItem(f"New Ask #{n} “Ask {n}”: https://x/{n}") for n in range(100))
    summary = ShowList(f"{mention(ALICE_KEY)} 100 new Asks in o/r.", items, "One message.", True)
    [message] = cards.render([summary], {ALICE_KEY: "Alice"})
    assert message.card is not None and size(message) < MAX_MESSAGE_BYTES
    [action] = message.card["actions"]
    assert action["type"] == "Action.ShowCard" and "100" in action["title"]
    hidden = json.dumps(action["card"], ensure_ascii=False)
    assert "New Ask #0 “Ask 0”" in hidden and "New Ask #99" in hidden
    shown = json.dumps(message.card["body"], ensure_ascii=False)
    assert "100 new Asks" in shown and "New Ask #0" not in shown
    assert mentioned_keys([summary]) == {ALICE_KEY}
