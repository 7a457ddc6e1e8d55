"""The conversation as a pure function: (flow, draft, message) -> outcome.

No I/O here: the engine loads the draft, calls `advance`, saves what comes
back and sends the replies. That keeps every rule testable without storage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.conversation.readiness import missing_required, readiness
from bot.flows.answers import check
from bot.flows.spec import Flow, Step
from bot.render.errors import BodyTooLong
from bot.render.user_text import shown
from bot.texts import conversation as t
from bot.types import Choice, Draft, Reply, Say, ShowPreview, Stage, frozen_map


@dataclass(frozen=True)
class Outcome:
    draft: Draft
    replies: tuple[Reply, ...]
    submitted: bool = False
    restart: bool = False


Handler = Callable[[Flow, Draft], Outcome]

SUBMIT = Choice(t.CHOICE_SUBMIT, "submit")
PREVIEW = Choice(t.CHOICE_PREVIEW, "preview")
RESUME_CHOICES = (Choice(t.CHOICE_RESUME, "resume"), Choice(t.CHOICE_DISCARD, "discard"))


def title_of(draft: Draft) -> str:
    """Flows without a title step (an experiment's outcome) name their work in the context."""
    return draft.answers.get("title") or draft.context.get("title") or t.UNTITLED


def first_open_step(flow: Flow, draft: Draft) -> Step | None:
    done = set(draft.answers) | draft.skipped
    return next((step for step in flow.steps if step.key not in done), None)


def prompt(flow: Flow, draft: Draft) -> Outcome:
    """Ask the question at the cursor, or show the review when all is asked."""
    if not draft.cursor:
        return review(flow, draft)
    step = flow.step(draft.cursor)
    text = t.STEP_PROMPT.format(
        label=step.label,
        position=flow.index(step.key) + 1,
        total=len(flow.steps),
        need=t.REQUIRED if step.required else t.OPTIONAL,
        question=step.question,
        example=step.example,
    )
    choices = list(option_choices(step))
    choices += [Choice(t.CHOICE_BACK, "back")] if draft.trail else []
    current = draft.answers.get(step.key)
    if current:
        text += "\n" + t.CURRENT_ANSWER.format(answer=current)
        choices.append(Choice(t.CHOICE_KEEP, "keep"))
    if not step.required:
        choices.append(Choice(t.CHOICE_SKIP, "skip"))
    return Outcome(draft, (Say(text, tuple(choices)),))


def option_choices(step: Step) -> tuple[Choice, ...]:
    return tuple(Choice(option.label, option.value) for option in step.options)


def move_to(flow: Flow, draft: Draft, key: str, *notes: str) -> Outcome:
    """Put the cursor on `key` ("" = review), remembering where we were for `back`."""
    trail = draft.trail
    if draft.cursor and draft.cursor != key:
        trail = (*(k for k in trail if k != draft.cursor), draft.cursor)
    moved = replace(draft, cursor=key, trail=trail, stage=Stage.ASKING)
    outcome = prompt(flow, moved)
    return replace(outcome, replies=tuple(Say(note) for note in notes) + outcome.replies)


def go_on(flow: Flow, draft: Draft, *notes: str) -> Outcome:
    step = first_open_step(flow, draft)
    return move_to(flow, draft, step.key if step else "", *notes)


def preview(flow: Flow, draft: Draft) -> Outcome:
    try:
        title, body = flow.render(draft)
    except BodyTooLong as error:
        return Outcome(draft, (Say(error.message),))
    summary = readiness(flow, draft)
    choices = (SUBMIT,) if summary.ready else ()
    shown = ShowPreview(title, body, summary, choices)
    return Outcome(replace(draft, stage=Stage.REVIEW), (Say(t.PREVIEW_INTRO), shown))


def review(flow: Flow, draft: Draft) -> Outcome:
    return preview(flow, replace(draft, cursor=""))


def with_answer(draft: Draft, key: str, value: str) -> Draft:
    answers = frozen_map({**draft.answers, key: value})
    return replace(draft, answers=answers, skipped=draft.skipped - {key})


def answer(flow: Flow, draft: Draft, text: str) -> Outcome:
    if not draft.cursor:
        return Outcome(draft, (Say(t.IN_REVIEW, (SUBMIT, PREVIEW)),))
    step = flow.step(draft.cursor)
    checked = check(step, text)
    if checked.error:
        return Outcome(draft, (Say(checked.error, option_choices(step)),))
    updated = with_answer(draft, step.key, checked.value)
    if checked.advice:
        advice = "\n".join(f"- {line}" for line in checked.advice)
        say = Say(t.COACH.format(advice=advice), (Choice(t.CHOICE_KEEP, "keep"),))
        notes = tuple(Say(note) for note in checked.notes)
        return Outcome(replace(updated, stage=Stage.COACHING), (*notes, say))
    return go_on(flow, updated, *checked.notes)


def skip(flow: Flow, draft: Draft) -> Outcome:
    if not draft.cursor:
        return Outcome(draft, (Say(t.IN_REVIEW, (SUBMIT, PREVIEW)),))
    step = flow.step(draft.cursor)
    if step.required:
        return Outcome(
            draft, (Say(t.CANNOT_SKIP.format(label=step.label, question=step.question)),)
        )
    answers = frozen_map({k: v for k, v in draft.answers.items() if k != step.key})
    skipped = replace(draft, answers=answers, skipped=draft.skipped | {step.key})
    return go_on(flow, skipped)


def keep(flow: Flow, draft: Draft) -> Outcome:
    if draft.cursor and draft.answers.get(draft.cursor):
        return go_on(flow, draft)
    question = flow.step(draft.cursor).question if draft.cursor else t.IN_REVIEW
    return Outcome(draft, (Say(t.NOTHING_TO_KEEP.format(question=question)),))


def back(flow: Flow, draft: Draft) -> Outcome:
    if not draft.trail:
        return Outcome(draft, (Say(t.AT_FIRST_STEP),))
    previous = draft.trail[-1]
    return prompt(flow, replace(draft, cursor=previous, trail=draft.trail[:-1], stage=Stage.ASKING))


def edit(flow: Flow, draft: Draft, name: str) -> Outcome:
    step = flow.find_step(name)
    if step is None:
        names = ", ".join(s.key for s in flow.steps)
        return Outcome(draft, (Say(t.UNKNOWN_FIELD.format(name=shown(name.strip()), names=names)),))
    return move_to(flow, draft, step.key)


def submit(flow: Flow, draft: Draft) -> Outcome:
    missing = missing_required(flow, draft)
    if missing:
        first = next(s.key for s in flow.steps if s.required and not draft.answers.get(s.key))
        return move_to(flow, draft, first, t.MISSING_REQUIRED.format(labels=", ".join(missing)))
    if draft.stage != Stage.REVIEW:
        return preview(flow, draft)
    try:
        flow.render(draft)
    except BodyTooLong as error:
        return Outcome(draft, (Say(error.message),))
    filing = replace(draft, stage=Stage.SUBMITTING, last_error="")
    return Outcome(filing, (Say(t.SUBMITTING.format(title=title_of(draft))),), submitted=True)


def cancel(flow: Flow, draft: Draft) -> Outcome:
    gone = replace(draft, stage=Stage.DISCARDED)
    return Outcome(gone, (Say(t.CANCELLED.format(title=title_of(draft))),))


def help_text(flow: Flow, draft: Draft) -> Outcome:
    names = ", ".join(s.key for s in flow.steps)
    return Outcome(draft, (Say(t.HELP.format(flow=flow.title, names=names)),))


def resume(flow: Flow, draft: Draft) -> Outcome:
    return prompt(flow, replace(draft, awaiting_resume=False))


def offer_resume(draft: Draft, flow: Flow) -> Outcome:
    text = t.RESUME_OFFER.format(
        title=title_of(draft), answered=len(draft.answers), total=len(flow.steps)
    )
    return Outcome(replace(draft, awaiting_resume=True), (Say(text, RESUME_CHOICES),))


def resume_choice(flow: Flow, draft: Draft, command: str) -> Outcome:
    if command == "resume":
        return resume(flow, draft)
    if command == "discard":
        gone = replace(draft, stage=Stage.DISCARDED, awaiting_resume=False)
        return Outcome(gone, (Say(t.DISCARDED.format(title=title_of(draft))),), restart=True)
    return Outcome(draft, (Say(t.RESUME_REPEAT.format(title=title_of(draft)), RESUME_CHOICES),))


COMMANDS: dict[str, Handler] = {
    "back": back,
    "skip": skip,
    "keep": keep,
    "preview": preview,
    "submit": submit,
    "cancel": cancel,
    "discard": cancel,
    "help": help_text,
    "resume": resume,
}


def advance(flow: Flow, draft: Draft, text: str) -> Outcome:
    """One message in an open draft: a command word, `edit <part>`, or an answer."""
    word, _, rest = text.strip().partition(" ")
    command = word.casefold().lstrip("/")
    if draft.stage == Stage.SUBMITTING:
        return Outcome(draft, (Say(t.SUBMITTING.format(title=title_of(draft))),))
    if draft.awaiting_resume:
        return resume_choice(flow, draft, "" if rest.strip() else command)
    if command == "edit":
        return edit(flow, draft, rest)
    handler = COMMANDS.get(command)
    if handler is not None and not rest.strip():
        return handler(flow, draft)
    return answer(flow, draft, text)
