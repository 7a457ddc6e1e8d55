"""The readiness summary shown before filing: which parts are strong, weak or missing."""

from __future__ import annotations

from bot.flows.answers import check
from bot.flows.spec import Flow
from bot.texts import conversation as t
from bot.types import Draft, Readiness


def readiness(flow: Flow, draft: Draft) -> Readiness:
    strong: list[str] = []
    weak: list[tuple[str, str]] = []
    missing: list[str] = []
    for step in flow.steps:
        answer = draft.answers.get(step.key, "")
        if not answer:
            missing.append(step.label)
            continue
        advice = check(step, answer).advice
        if advice:
            weak.append((step.label, advice[0]))
        else:
            strong.append(step.label)
    return Readiness(tuple(strong), tuple(weak), tuple(missing), missing_required(flow, draft))


def missing_required(flow: Flow, draft: Draft) -> tuple[str, ...]:
    return tuple(s.label for s in flow.steps if s.required and not draft.answers.get(s.key))


def describe(summary: Readiness) -> str:
    """Plain lines for any adapter; widgets may show the same facts their own way."""
    lines = [t.READY if summary.ready else t.NOT_READY.format(labels=", ".join(summary.blocking))]
    if summary.strong:
        lines.append(t.STRONG.format(labels=", ".join(summary.strong)))
    lines.extend(t.WEAK.format(label=label, advice=advice) for label, advice in summary.weak)
    if summary.missing and summary.ready:
        lines.append(t.MISSING.format(labels=", ".join(summary.missing)))
    return "\n".join(lines)
