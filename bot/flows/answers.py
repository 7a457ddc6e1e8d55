"""Checking one answer against its step: shared by the conversation and the form."""

from __future__ import annotations

from dataclasses import dataclass

from bot.flows.spec import Step
from bot.render.user_text import clean_user_text
from bot.texts import conversation as t


@dataclass(frozen=True)
class Checked:
    """A cleaned answer; `error` blocks it, `advice` is coaching, `notes` are FYIs."""

    value: str
    error: str = ""
    advice: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def check(step: Step, raw: str) -> Checked:
    value = clean_user_text(raw)
    notes: tuple[str, ...] = ()
    if not step.multiline and "\n" in value:
        value = " ".join(value.split())
        notes = (t.SINGLE_LINE.format(label=step.label),)
    if not value:
        return Checked(value, error=t.EMPTY_ANSWER.format(label=step.label))
    if step.options:
        return _choose(step, value)
    if len(value) > step.max_length:
        message = t.TOO_LONG.format(length=len(value), label=step.label, limit=step.max_length)
        return Checked(value, error=message)
    return Checked(value, advice=step.coach(value), notes=notes)


def _choose(step: Step, value: str) -> Checked:
    chosen = next((option for option in step.options if option.matches(value)), None)
    if chosen is None:
        names = ", ".join(option.label for option in step.options)
        return Checked(value, error=t.NOT_AN_OPTION.format(label=step.label, options=names))
    return Checked(chosen.value)
