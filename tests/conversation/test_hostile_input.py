"""Whatever people type, the conversation answers and never crashes or loses a saved answer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.commands import split_command
from bot.conversation.forms import apply_form
from bot.conversation.transitions import advance
from bot.flows.ask import ASK
from bot.types import Draft, Place, Stage

PLACE = Place(platform="console", channel_id="terminal")
TRICKY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "back",
        "skip",
        "edit",
        "edit ",
        "edit zzz",
        "submit",
        "keep",
        "resume",
        "discard",
        "cancel",
        "help",
        "preview",
        "@org/team",
        "#123",
        "-->",
        "<script>",
        "‮evil",
        "👨‍👩‍👧",
        "مرحبا",
        "x" * 5000,
        "\n\n",
        "/dslp ask",
    ]
)
MESSAGES = st.lists(st.one_of(st.text(max_size=300), TRICKY), max_size=25)


def draft() -> Draft:
    return Draft(id="d1", flow="ask", owner="console::u", origin=PLACE, cursor="title")


@settings(max_examples=150, deadline=None)
@given(MESSAGES)
def test_any_sequence_of_messages_keeps_the_draft_consistent(messages: list[str]) -> None:
    current = draft()
    for message in messages:
        before = current
        outcome = advance(ASK, current, message)
        assert outcome.replies, "every message gets an answer"
        current = outcome.draft
        if current.stage is Stage.DISCARDED:
            return
        for key, value in before.answers.items():
            if key in current.answers:
                continue
            assert key in current.skipped, f"answer {key!r} vanished without a skip: {value!r}"
        assert all(len(v) <= ASK.step(k).max_length for k, v in current.answers.items())
        assert not current.cursor or current.cursor in {s.key for s in ASK.steps}


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(st.text(max_size=20), st.one_of(st.none(), st.text(max_size=200)), max_size=15)
)
def test_any_form_values_give_errors_or_a_draft_never_an_exception(
    values: dict[str, str | None],
) -> None:
    result = apply_form(ASK, draft(), values)
    assert set(result.errors) <= {step.key for step in ASK.steps}
    assert set(result.draft.answers) <= {step.key for step in ASK.steps}


@given(st.text(max_size=200))
def test_command_splitting_is_total(text: str) -> None:
    name, args = split_command(text)
    assert name == name.casefold()
    assert args == args.strip()


def test_an_unknown_part_is_named_but_not_echoed_whole() -> None:
    draft = Draft(id="d", owner="console:local:me", flow=ASK.name, origin=PLACE)
    outcome = advance(ASK, draft, "edit " + "x" * 40_000)
    said = " ".join(getattr(reply, "text", "") for reply in outcome.replies)
    assert "x" * 60 + "\u2026" in said and len(said) < 2_000
