"""Many notifications waiting for one place, said in one message.

A bulk change (a relabel of hundreds of issues) can queue hundreds of
notifications for one channel; sent one by one they would bury it, and
Slack's per-channel limit would spread them over minutes. Past
DSLP_COALESCE_AFTER the place gets one summary instead: what happened, in
which repository, by whom, everyone who was to be told mentioned once,
and the list folded away (a button in Teams, compact lines in Slack).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType

from bot.lifecycle.rules import (
    ASK_CLOSED,
    ASK_OPENED,
    BLOCKED,
    DATA_OPENED,
    EXPERIMENT_FAILED,
    EXPERIMENT_SUCCEEDED,
    MODEL_DEPLOY,
    MODEL_MERGED,
    MODEL_OPENED,
    UNBLOCKED,
    WORK_STARTED,
)
from bot.mentions import Mention, mention, split_mentions, untrusted
from bot.texts import notifications as t
from bot.types import ListItem, ShowList

WHAT = MappingProxyType(
    {
        ASK_OPENED: t.SUMMARY_ASKS_OPENED,
        DATA_OPENED: t.SUMMARY_DATA_OPENED,
        BLOCKED: t.SUMMARY_BLOCKED,
        UNBLOCKED: t.SUMMARY_UNBLOCKED,
        WORK_STARTED: t.SUMMARY_WORK_STARTED,
        EXPERIMENT_SUCCEEDED: t.SUMMARY_SUCCEEDED,
        EXPERIMENT_FAILED: t.SUMMARY_FAILED,
        MODEL_OPENED: t.SUMMARY_MODEL_OPENED,
        MODEL_DEPLOY: t.SUMMARY_MODEL_DEPLOY,
        MODEL_MERGED: t.SUMMARY_MODEL_MERGED,
        ASK_CLOSED: t.SUMMARY_ASKS_CLOSED,
    }
)
"""How a summary counts each rule of the notification table (bot.lifecycle.rules)."""
LISTED = 100
"""Items a summary lists; its headline counts them all (a card or message stays small)."""


@dataclass(frozen=True)
class Queued:
    """A waiting notification as a summary sees it; `actor` is who caused its event on GitHub."""

    rule: str
    repository: str
    actor: str
    text: str


def summary(queued: Sequence[Queued]) -> ShowList:
    """One folded list for them all; its headline mentions each person or group once."""
    counts = Counter(item.rule for item in queued)
    repository = ", ".join(dict.fromkeys(item.repository for item in queued))
    actors = {item.actor for item in queued}
    actor = actors.pop() if len(actors) == 1 else ""
    by = t.SUMMARY_BY.format(actor=untrusted(actor)) if actor else ""
    if len(counts) == 1:
        [(rule, count)] = counts.items()
        headline = t.SUMMARY_ONE.format(count=count, what=_what(rule), repository=repository, by=by)
    else:
        parts = ", ".join(
            t.SUMMARY_PART.format(count=count, what=_what(rule))
            for rule, count in counts.most_common()
        )
        headline = t.SUMMARY_MANY.format(
            count=len(queued), repository=repository, by=by, parts=parts
        )
    keys = _mentioned(queued)
    if keys:
        headline = t.MENTIONS.format(mentions=" ".join(map(mention, keys)), text=headline)
    items = tuple(ListItem(_first_line(item.text)) for item in queued[:LISTED])
    footer = t.SUMMARY_FOOTER.format(count=len(queued))
    if len(queued) > LISTED:
        footer = t.SUMMARY_MORE.format(more=len(queued) - LISTED) + " " + footer
    return ShowList(headline, items, footer, folded=True)


def _what(rule: str) -> str:
    return WHAT.get(rule, t.SUMMARY_OTHER)


def _mentioned(queued: Sequence[Queued]) -> list[str]:
    """Everyone the single messages would have mentioned, in order, once."""
    keys = (
        part.key
        for item in queued
        for part in split_mentions(item.text)
        if isinstance(part, Mention)
    )
    return list(dict.fromkeys(keys))


def _first_line(text: str) -> str:
    """The notification's own headline, without its mentions (the summary's carries them)."""
    plain = "".join(part for part in split_mentions(text) if isinstance(part, str))
    return plain.strip().split("\n", 1)[0]
