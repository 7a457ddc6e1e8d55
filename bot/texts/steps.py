"""The record a flow step's sentences are kept in, so a step's wording is reviewed together."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StepText:
    """What people read of one step: its name in forms and previews, the question, an example."""

    label: str
    question: str
    example: str
