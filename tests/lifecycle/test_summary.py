"""The summary of a burst, pure: what it counts, whom it mentions, what it lists."""

from __future__ import annotations

from bot.lifecycle.rules import ASK_OPENED, BLOCKED, EXPERIMENT_SUCCEEDED
from bot.lifecycle.summary import LISTED, Queued, summary
from bot.mentions import Mention, mention, split_mentions

DS, DE = "slack:T1:UDS", "slack:T1:UDE"


def queued(rule: str, number: int, *, actor: str = "bob", who: str = DS) -> Queued:
    text = f"{mention(who)} Experiment #{number} “Run {number}” succeeded: https://x/{number}"
    return Queued(rule, "acme/ds", actor, f"{text}\nNext DSLP step: open the Model issue.")


def mentions(text: str) -> list[str]:
    return [part.key for part in split_mentions(text) if isinstance(part, Mention)]


def test_one_kind_of_change_by_one_person_reads_as_one_sentence() -> None:
    shown = summary([queued(EXPERIMENT_SUCCEEDED, n) for n in range(23)])
    assert shown.header.endswith("23 experiments labelled succeeded in acme/ds by @bob.")
    assert mentions(shown.header) == [DS] and shown.folded
    assert shown.items[0].text == "Experiment #0 “Run 0” succeeded: https://x/0"
    assert "23" in shown.footer


def test_mixed_changes_by_several_people_are_counted_per_kind_and_everyone_is_mentioned_once() -> (
    None
):
    burst = [queued(ASK_OPENED, n, actor="amy") for n in range(3)]
    burst += [queued(BLOCKED, n, who=DE) for n in range(5)]
    shown = summary(burst)
    assert "8 updates in acme/ds (issues blocked on access: 5, new Asks: 3)." in shown.header
    assert " by @" not in shown.header, "two people made these changes"
    assert mentions(shown.header) == [DS, DE]
    assert all(not mentions(item.text) for item in shown.items)


def test_a_huge_burst_lists_the_first_and_counts_them_all() -> None:
    shown = summary([queued(EXPERIMENT_SUCCEEDED, n) for n in range(LISTED + 7)])
    assert len(shown.items) == LISTED and "…and 7 more." in shown.footer
    assert f"{LISTED + 7} experiments" in shown.header
