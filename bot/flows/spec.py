"""How a flow is declared: a table of steps, each with its question and checks.

One declaration drives both styles the adapters need: a conversation (one
question per message) and a form (every field at once, per-field errors).
Checks come in two strengths: an error blocks the answer (empty, too long);
advice is coaching the person may take or leave.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.types import Draft

Coach = Callable[[str], tuple[str, ...]]
Renderer = Callable[[Draft], tuple[str, str]]
"""Draft -> (issue title, issue body); raises `BodyTooLong` when it cannot fit."""


def no_advice(_: str) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    question: str
    example: str
    required: bool = False
    max_length: int = 3000
    multiline: bool = True
    coach: Coach = no_advice
    why: str = ""


@dataclass(frozen=True)
class Flow:
    name: str
    title: str
    steps: tuple[Step, ...]
    issue_label: str
    render: Renderer

    def step(self, key: str) -> Step:
        return next(step for step in self.steps if step.key == key)

    def index(self, key: str) -> int:
        return next(i for i, step in enumerate(self.steps) if step.key == key)

    @property
    def required_keys(self) -> tuple[str, ...]:
        return tuple(step.key for step in self.steps if step.required)

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
