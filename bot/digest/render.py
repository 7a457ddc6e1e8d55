"""A digest as a `ShowList`: a summary on top, items grouped by Ask, most urgent first.

Pure: the owners' member keys are looked up beforehand and passed in, so the
same issues at the same moment always give the same digest, whether it was
scheduled or asked for with `digest now`.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from bot.digest.model import Reason, Snooze
from bot.digest.rules import Finding, labels_of
from bot.dslp import ON_HOLD, IssueType
from bot.mentions import mention, untrusted
from bot.render.references import ask_reference
from bot.repositories.references import issue_reference
from bot.texts import digest as t
from bot.types import Choice, Issue, ListItem, Say, ShowList

MAX_ITEMS = 40
STALE_QUERY = "is:issue is:open sort:updated-asc"


@dataclass(frozen=True)
class Stalled:
    issue: Issue
    findings: tuple[Finding, ...]
    ask: int | None

    @property
    def urgency(self) -> float:
        return self.findings[0].urgency


def visible(
    found: Sequence[tuple[Issue, tuple[Finding, ...]]], snoozes: Sequence[Snooze], now: datetime
) -> list[Stalled]:
    """Stalled items minus the snoozed ones; an Ask issue is its own Ask."""
    hidden = {s.number: s for s in snoozes}
    items = []
    for issue, findings in found:
        snooze = hidden.get(issue.number)
        if snooze is not None and snooze.hides(issue.updated_at, now):
            continue
        is_ask = IssueType.ASK in labels_of(issue)
        ask = issue.number if is_ask else ask_reference(issue.body)
        items.append(Stalled(issue, findings, ask))
    return items


def grouped(items: Sequence[Stalled], limit: int) -> list[tuple[int | None, list[Stalled]]]:
    """The first `limit` items as shown: grouped by Ask, the group with the most urgent item
    first, items likewise. Only what is shown is sorted: one pass over all the items, so a
    digest of 10,000 stalled issues costs ten times one of 1,000, not more."""
    groups: dict[int | None, list[Stalled]] = {}
    for item in items:
        groups.setdefault(item.ask, []).append(item)
    firsts = heapq.nsmallest(limit, groups.values(), key=lambda group: min(map(_order, group)))
    shown: list[tuple[int | None, list[Stalled]]] = []
    room = limit
    for group in firsts:
        if room <= 0:
            break
        chosen = heapq.nsmallest(room, group, key=_order)
        shown.append((group[0].ask, chosen))
        room -= len(chosen)
    return shown


def _order(item: Stalled) -> tuple[float, int]:
    return (-item.urgency, item.issue.number)


def summary(items: Sequence[Stalled]) -> str:
    """Counts by reason; an item breaking two rules counts under both."""
    counts = Counter(f.reason for item in items for f in item.findings)
    ordered = sorted(counts.items(), key=lambda pair: (-pair[1], list(Reason).index(pair[0])))
    parts = [t.SUMMARY_PART.format(count=n, name=t.SUMMARY_NAME[r]) for r, n in ordered]
    return t.SUMMARY_JOIN.join(parts)


def days_ago(moment: datetime | None, now: datetime) -> str:
    days = (now - moment).days if moment is not None else 0
    if days <= 0:
        return t.AGO_TODAY
    return t.AGO_ONE if days == 1 else t.AGO_DAYS.format(days=days)


def reason_text(finding: Finding) -> str:
    if finding.held_until is not None:
        return t.HOLD_OVER.format(day=finding.held_until.isoformat())
    template = t.REASON[finding.reason]
    return template.format(days=finding.elapsed.days, threshold=finding.threshold_days)


def owners_text(issue: Issue, members: Mapping[str, str]) -> str:
    """Assignees, else the author; a mention where the login is linked, else the login as text."""
    logins = issue.assignees or ((issue.author,) if issue.author else ())
    if not logins:
        return t.ITEM_NO_OWNER
    names = [mention(members[login]) if login in members else untrusted(login) for login in logins]
    return t.ITEM_OWNERS.format(names=", ".join(names))


def item_text(item: Stalled, members: Mapping[str, str], now: datetime) -> str:
    issue = item.issue
    title = t.ITEM_TITLE.format(number=issue.number, title=untrusted(issue.title))
    ask = t.ITEM_ASK.format(number=item.ask) if item.ask and item.ask != issue.number else ""
    details = t.ITEM_DETAILS.format(
        ask=ask,
        owners=owners_text(issue, members),
        age=days_ago(issue.created_at, now),
        activity=days_ago(issue.updated_at, now),
    )
    reasons = "; ".join(reason_text(f) for f in item.findings)
    return f"{title}\n{details}\n{reasons[:1].upper()}{reasons[1:]}."


def actions(item: Stalled, repository: str) -> tuple[Choice, ...]:
    """Snooze always; on hold and TLDR for Experiments (the linked-work commands); the link."""
    issue, labels = item.issue, labels_of(item.issue)
    ref = issue_reference(repository, issue.number)
    choices = [Choice(t.SNOOZE_LABEL, f"digest snooze {ref}")]
    if IssueType.EXPERIMENT in labels and issue.state == "open":
        if ON_HOLD not in labels:
            choices.append(Choice(t.ON_HOLD_LABEL, f"experiment {ref} on-hold {t.ON_HOLD_NOTE}"))
        if any(f.reason in (Reason.INACTIVE, Reason.NO_TLDR) for f in item.findings):
            choices.append(Choice(t.TLDR_LABEL, f"experiment {ref}"))
    if issue.url:
        choices.append(Choice(t.OPEN_LABEL, url=issue.url))
    return tuple(choices)


def group_heading(ask: int | None, asks: Mapping[int, Issue]) -> ListItem:
    if ask is None:
        return ListItem(t.GROUP_NONE)
    found = asks.get(ask)
    if found is None:
        return ListItem(t.GROUP_ASK_UNKNOWN.format(number=ask))
    return ListItem(t.GROUP_ASK.format(number=ask, title=untrusted(found.title)))


def stale_url(items: Sequence[Stalled]) -> str:
    """The repository's open issues, least recently updated first (derived from an issue URL)."""
    url = next((i.issue.url for i in items if "/issues/" in i.issue.url), "")
    if not url:
        return ""
    return f"{url.split('/issues/')[0]}/issues?q={quote(STALE_QUERY)}"


def render(
    items: Sequence[Stalled],
    *,
    repository: str,
    asks: Mapping[int, Issue],
    members: Mapping[str, str],
    now: datetime,
    max_items: int = MAX_ITEMS,
) -> ShowList:
    """At most `max_items` issues (group headings not counted); the rest behind a link."""
    rows: list[ListItem] = []
    shown = 0
    for ask, group in grouped(items, max_items):
        rows.append(group_heading(ask, asks))
        rows += [
            ListItem(item_text(item, members, now), actions(item, repository)) for item in group
        ]
        shown += len(group)
    header = t.HEADER.format(
        repository=repository, count=len(items), noun="item" if len(items) == 1 else "items"
    )
    return ShowList(f"{header}\n{summary(items)}", tuple(rows), _footer(items, shown))


def _footer(items: Sequence[Stalled], shown: int) -> str:
    more = len(items) - shown
    if more <= 0:
        return ""
    url = stale_url(items)
    return t.TRUNCATED.format(more=more, url=url) if url else t.TRUNCATED_NO_LINK.format(more=more)


def nothing(repository: str) -> Say:
    return Say(t.NOTHING.format(repository=repository))
