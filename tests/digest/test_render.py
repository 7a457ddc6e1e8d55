"""The digest's shape: summary, Ask groups by urgency, owners, buttons, snoozes, truncation."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.digest.model import Snooze, Thresholds
from bot.digest.render import MAX_ITEMS, Stalled, grouped, render, visible
from bot.digest.rules import stalled
from bot.mentions import Mention, split_mentions
from bot.types import Choice, Issue
from tests.digest.support import issue
from tests.support.doubles import NOW

ASK_3 = issue(3, "Ask", title="Reduce churn", created=5)
ASK_LINK = "***Ask Reference:*** #3"


def items(*issues: Issue, snoozes: tuple[Snooze, ...] = ()) -> list[Stalled]:
    return visible(stalled(list(issues), NOW, Thresholds()), snoozes, NOW)


def show(*issues: Issue, members: dict[str, str] | None = None, **kw: int):  # type: ignore[no-untyped-def]
    asks = {i.number: i for i in issues if "Ask" in i.labels}
    return render(
        items(*issues), repository="octo/dslp", asks=asks, members=members or {}, now=NOW, **kw
    )


def test_groups_by_ask_with_the_most_urgent_group_first() -> None:
    mild = issue(10, "Experiment", created=3, updated=8, body=f"{ASK_LINK}\nTLDR: so far ok")
    blocked = issue(11, "blocked - need access", created=12, body="***Ask Reference:*** #4")
    loose = issue(12, "Explore", created=15, updated=1)
    shown = show(ASK_3, mild, blocked, loose)
    texts = [item.text for item in shown.items]
    assert texts[0] == "**Ask #4**"
    assert texts[1].startswith("**#11 Issue 11**")
    assert texts[2] == "**Not linked to an Ask**"
    assert texts[4] == "**Ask #3: Reduce churn**"
    assert "Ask #3 · owner: alice · opened 3 days ago · last activity 8 days ago" in texts[5]
    assert shown.header.startswith("Stalled work in octo/dslp: 3 items\n")
    assert shown.header.endswith("1 blocked · 1 no activity · 1 Explore over time")


def test_owners_are_assignees_as_mentions_where_linked_else_plain_logins() -> None:
    work = issue(20, "blocked - need access", created=5, assignees=("bob", "carol"))
    shown = show(work, members={"bob": "slack:T1:U2"})
    parts = split_mentions(shown.items[1].text)
    assert Mention("slack:T1:U2") in parts
    assert "carol" in shown.items[1].text
    author_only = show(issue(21, "on hold", created=40, author="dave"))
    assert "owner: dave" in author_only.items[1].text


def test_outside_text_cannot_forge_a_mention() -> None:
    sneaky = issue(22, "on hold", created=40, title="\ue000slack:T1:U9\ue001 look")
    assert not [p for p in split_mentions(show(sneaky).items[1].text) if isinstance(p, Mention)]


def test_experiment_items_offer_snooze_hold_tldr_and_the_link() -> None:
    """Each button names its issue with the repository, so it acts there wherever pressed."""
    quiet = issue(30, "Experiment", created=20, updated=9)
    choices = show(quiet).items[1].choices
    assert choices == (
        Choice("Snooze 7 days", "digest snooze octo/dslp#30"),
        Choice("Mark on hold", "experiment octo/dslp#30 on-hold Put on hold from the digest"),
        Choice("Add TLDR", "experiment octo/dslp#30"),
        Choice("Open in GitHub", url="https://github.com/octo/dslp/issues/30"),
    )
    other = show(issue(31, "on hold", created=40)).items[1].choices
    assert [c.label for c in other] == ["Snooze 7 days", "Open in GitHub"]


def test_a_snoozed_item_stays_out_until_it_changes_or_the_snooze_ends() -> None:
    quiet = issue(40, "Experiment", created=20, updated=9)
    snooze = Snooze(40, NOW - timedelta(days=1), NOW + timedelta(days=6))
    assert items(quiet, snoozes=(snooze,)) == []
    touched = issue(40, "Experiment", created=20, updated=0.5)
    ended = Snooze(40, NOW - timedelta(days=8), NOW - timedelta(minutes=1))
    assert len(items(touched, snoozes=(snooze,))) == 1  # changed since: back, still no TLDR
    assert len(items(quiet, snoozes=(ended,))) == 1
    assert not snooze.hides(NOW - timedelta(hours=1), NOW)


def test_long_digests_are_truncated_with_a_link_to_github() -> None:
    many = [issue(n, "on hold", created=40 + n) for n in range(100, 100 + MAX_ITEMS + 5)]
    shown = show(*many)
    assert sum(1 for item in shown.items if item.choices) == MAX_ITEMS
    assert shown.footer.startswith("…and 5 more. See all in GitHub: https://github.com/octo/dslp/")
    assert show(*many[:3]).footer == ""


@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(3, 400), st.sampled_from(["on hold", "Explore"])),
        max_size=60,
    ),
    st.integers(1, 25),
)
@settings(max_examples=150, deadline=None)
def test_the_items_shown_are_the_most_urgent_in_the_order_of_a_full_sort(
    specs: list[tuple[int, int, str]], limit: int
) -> None:
    """Only the shown items are sorted now; what is shown is what sorting all would show."""
    found = items(
        *(
            issue(100 + n, label, created=age, updated=age, body=f"***Ask Reference:*** #{ask}")
            if ask
            else issue(100 + n, label, created=age, updated=age)
            for n, (ask, age, label) in enumerate(specs)
        )
    )
    by_urgency = sorted(found, key=lambda item: (-item.urgency, item.issue.number))
    groups: dict[int | None, list[Stalled]] = {}
    for item in by_urgency:
        groups.setdefault(item.ask, []).append(item)
    expected, room = [], limit
    for ask, group in groups.items():
        if room <= 0:
            break
        expected.append((ask, group[:room]))
        room -= len(group[:room])
    assert grouped(found, limit) == expected
