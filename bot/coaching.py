"""Coaching checks: pure functions from an answer to advice on making it stronger.

They never block an answer. A business person who cannot yet say a number is
better served by a filed Ask with a nudge than by a bot that refuses them.
"""

from __future__ import annotations

import re

from bot.texts import ask as texts

_NUMBER = re.compile(r"\d")
_DIRECTION = re.compile(
    r"\b(increase|increases|raise|grow|improve|higher|more|at least|above|over|exceed|"
    r"reduce|reduces|decrease|lower|less|fewer|below|under|at most|cut|drop|halve|double|"
    r"maximi[sz]e|minimi[sz]e|faster|slower|within)\b",
    re.IGNORECASE,
)
_PERSONA = re.compile(
    r"\bas (a|an|the|our)\b|\b(users?|customers?|managers?|analysts?|agents?|team|staff|"
    r"handlers?|operators?|planners?|engineers?|clinicians?|doctors?|nurses?|sales|marketing|"
    r"finance|support)\b",
    re.IGNORECASE,
)
_CHANGE = re.compile(
    r"\b(instead of|rather than|no longer|without|today|currently|now|manual(ly)?|by hand|"
    r"replac\w*|automat\w*|so that|faster|earlier|before)\b",
    re.IGNORECASE,
)
_COUNTER = re.compile(
    r"counter|must not|without (increasing|raising|hurting)|guardrail|while keeping|"
    r"false (alarms|positives)",
    re.IGNORECASE,
)


def words(text: str) -> int:
    return len(text.split())


def problem_statement(text: str) -> tuple[str, ...]:
    return (texts.TOO_SHORT_PROBLEM,) if words(text) <= 2 else ()


def desired_outcome(text: str) -> tuple[str, ...]:
    advice = []
    if not _PERSONA.search(text):
        advice.append(texts.NO_PERSONA)
    if not _CHANGE.search(text):
        advice.append(texts.NO_PROCESS_CHANGE)
    return tuple(advice)


def measurable(text: str) -> tuple[str, ...]:
    """A criterion with neither a number nor a direction cannot be checked later."""
    return () if _NUMBER.search(text) or _DIRECTION.search(text) else (texts.NO_NUMBER,)


def metrics(text: str) -> tuple[str, ...]:
    counter = () if _COUNTER.search(text) else (texts.NO_COUNTER_METRIC,)
    return measurable(text) + counter
