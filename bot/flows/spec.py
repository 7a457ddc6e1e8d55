"""How a flow is declared: a table of steps, each with its question and checks.

One declaration drives both styles the adapters need: a conversation (one
question per message) and a form (every field at once, per-field errors).
Checks come in two strengths: an error blocks the answer (empty, too long);
advice is coaching the person may take or leave.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.texts.steps import StepText
from bot.types import Draft

Coach = Callable[[str], tuple[str, ...]]
Renderer = Callable[[Draft], tuple[str, str]]
"""Draft -> (issue title, issue body); raises `BodyTooLong` when it cannot fit."""


def no_advice(_: str) -> tuple[str, ...]:
    return ()


def option_key(text: str) -> str:
    """How a typed choice is compared: `On-hold`, `on hold` and `ONHOLD` are one answer."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@dataclass(frozen=True)
class Option:
    """One allowed answer of a choice step; buttons send `value`, people may type any alias."""

    value: str
    label: str
    aliases: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        wanted = option_key(text)
        return bool(wanted) and wanted in {
            option_key(w) for w in (self.value, self.label, *self.aliases)
        }


@dataclass(frozen=True)
class Step:
    key: str
    text: StepText
    """Label, question and example, kept together in the flow's texts module."""
    required: bool = False
    max_length: int = 3000
    multiline: bool = True
    coach: Coach = no_advice
    options: tuple[Option, ...] = ()
    """A choice step: only these answers are accepted (shown as buttons or a select)."""

    @property
    def label(self) -> str:
        return self.text.label

    @property
    def question(self) -> str:
        return self.text.question

    @property
    def example(self) -> str:
        return self.text.example


@dataclass(frozen=True)
class Flow:
    name: str
    title: str
    steps: tuple[Step, ...]
    issue_label: str
    render: Renderer
    action: str = ""
    """What submitting does: "" files an issue rendered by `render` (the default); a
    name runs the action the Filer knows by that name instead, and `render` only
    shows the preview (the outcome of an experiment changes an existing issue)."""

    def step(self, key: str) -> Step:
        return next(step for step in self.steps if step.key == key)

    def index(self, key: str) -> int:
        return next(i for i, step in enumerate(self.steps) if step.key == key)

    def find_step(self, name: str) -> Step | None:
        """A step by key or by the words of its label (`edit desired outcome`)."""
        wanted = "_".join(name.casefold().split()).strip("_")
        if not wanted:
            return None
        for step in self.steps:
            if wanted in (step.key, "_".join(step.label.casefold().split())):
                return step
        prefixed = [s for s in self.steps if s.key.startswith(wanted)]
        return prefixed[0] if len(prefixed) == 1 else None
