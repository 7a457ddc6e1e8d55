"""What people are told after an outcome is recorded, and the outcome flow's submit action."""

from __future__ import annotations

from bot.dslp import FAILED, SUCCEEDED
from bot.flows.outcome import OUTCOME, TLDR, TLDR_LIMIT
from bot.linked.model import EXPERIMENT_KEY, context_number
from bot.linked.outcomes import OutcomeResult, Recorded, record_outcome
from bot.mentions import untrusted
from bot.playbook.service import Playbook
from bot.ports import LinkStore
from bot.repositories.homes import owner_voice, tracker_for
from bot.repositories.ports import Trackers
from bot.repositories.references import issue_reference
from bot.texts import linked as lt
from bot.texts import outcome as t
from bot.types import Choice, Draft, Issue, Reply, Say


def outcome_replies(result: OutcomeResult, repository: str) -> list[Reply]:
    if not result.ok:
        return [Say(_refusal(result, repository))]
    issue = result.issue
    assert issue is not None
    lines = [t.RECORDED.format(number=result.number, title=_title(issue), outcome=result.outcome)]
    lines += [t.CLOSED_NOTE] if result.outcome == FAILED else []
    lines += [t.ASK_UPDATED.format(ask=result.ask_number)] if result.ask_listed else []
    lines += list(result.notes)
    choices = [Choice(lt.CHOICE_OPEN, url=issue.url)]
    if result.outcome == SUCCEEDED:
        lines.append(t.OFFER_MODEL)
        model = f"model {issue_reference(repository, result.number)}"
        choices.insert(0, Choice(t.CHOICE_MODEL, model))
    return [Say("\n".join(lines), tuple(choices))]


def _refusal(result: OutcomeResult, repository: str) -> str:
    number, issue = result.number, result.issue
    if result.status is Recorded.BAD_OUTCOME:
        return t.UNKNOWN_OUTCOME.format(word=result.outcome or "?")
    if result.status is Recorded.NO_TLDR:
        return t.NO_TLDR.format(number=number, outcome=result.outcome.replace(" ", "-"))
    if result.status is Recorded.TLDR_TOO_LONG:
        return t.TLDR_TOO_LONG.format(length=len(result.tldr), limit=TLDR_LIMIT)
    if result.status is Recorded.NOT_FOUND or issue is None:
        return t.NOT_FOUND.format(number=number, repository=repository)
    if result.status is Recorded.NOT_EXPERIMENT:
        labels = ", ".join(sorted(issue.labels)) or lt.NO_LABELS
        return t.NOT_EXPERIMENT.format(number=number, title=_title(issue), labels=untrusted(labels))
    return t.IS_CLOSED.format(number=number, title=_title(issue))


def _title(issue: Issue) -> str:
    return untrusted(issue.title)


class OutcomeAction:
    """Submitting the outcome flow: the same `record_outcome` as the one-line command."""

    def __init__(
        self, *, trackers: Trackers, links: LinkStore, playbook: Playbook | None = None
    ) -> None:
        self._trackers = trackers
        self._links = links
        self._playbook = playbook

    async def __call__(self, draft: Draft) -> list[Reply]:
        tracker = await tracker_for(self._trackers, draft, as_owner=True)
        result = await record_outcome(
            tracker,
            self._links,
            number=context_number(draft, EXPERIMENT_KEY) or 0,
            outcome=draft.answers.get(OUTCOME, ""),
            tldr=draft.answers.get(TLDR, ""),
            by=draft.owner_name,
            platform=draft.origin.platform,
            login=await owner_voice(self._trackers, draft),
            playbook=self._playbook,
        )
        return outcome_replies(result, tracker.repository)
