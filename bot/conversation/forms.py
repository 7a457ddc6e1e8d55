"""The form style of a flow: every field at once, with per-field errors.

Slack modals and Teams Adaptive Cards render a `FormSpec`; what they send
back goes through `apply_form`, which uses the same checks as the
conversation, so both styles agree on what a good answer is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from bot.conversation.transitions import first_open_step, with_answer
from bot.flows.answers import check
from bot.flows.spec import Flow
from bot.types import Draft, Stage, frozen_map


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    question: str
    example: str
    required: bool
    max_length: int
    multiline: bool
    value: str
    options: tuple[tuple[str, str], ...] = ()
    """(value, label) pairs of a choice field: adapters show a select instead of a text box."""


@dataclass(frozen=True)
class FormSpec:
    flow: str
    title: str
    draft_id: str
    fields: tuple[FormField, ...]
    notes: tuple[str, ...] = ()
    """What the command found out before the form (which Ask it links to): shown above it."""


@dataclass(frozen=True)
class FormResult:
    """`errors` block filing; `advice` is coaching to show on the review step."""

    draft: Draft
    errors: Mapping[str, str]
    advice: Mapping[str, tuple[str, ...]]

    @property
    def ok(self) -> bool:
        return not self.errors


def form_spec(flow: Flow, draft: Draft) -> FormSpec:
    fields = tuple(
        FormField(
            key=step.key,
            label=step.label,
            question=step.question,
            example=step.example,
            required=step.required,
            max_length=step.max_length,
            multiline=step.multiline,
            value=draft.answers.get(step.key, ""),
            options=tuple((option.value, option.label) for option in step.options),
        )
        for step in flow.steps
    )
    return FormSpec(flow.name, flow.title, draft.id, fields)


def apply_form(flow: Flow, draft: Draft, values: Mapping[str, str | None]) -> FormResult:
    """Take every known field; unknown keys are ignored, absent optional ones skipped.

    Valid answers are saved even when another field has an error; a field in
    error keeps its previous saved answer (the form itself still shows what
    was typed), so nothing already saved is lost.
    """
    errors: dict[str, str] = {}
    advice: dict[str, tuple[str, ...]] = {}
    updated = replace(draft, answers=frozen_map(), skipped=frozenset())
    for step in flow.steps:
        raw = values.get(step.key) or ""
        if not raw.strip() and not step.required:
            updated = replace(updated, skipped=updated.skipped | {step.key})
            continue
        checked = check(step, raw)
        if checked.error:
            errors[step.key] = checked.error
            previous = draft.answers.get(step.key)
            if previous:
                updated = with_answer(updated, step.key, previous)
            continue
        updated = with_answer(updated, step.key, checked.value)
        if checked.advice:
            advice[step.key] = checked.advice
    next_step = first_open_step(flow, updated)
    stage = Stage.REVIEW if not errors else Stage.ASKING
    cursor = next_step.key if next_step else ""
    return FormResult(replace(updated, stage=stage, cursor=cursor), errors, advice)
