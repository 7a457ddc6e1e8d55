"""What the bot remembers about the linked issues it opened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

OPEN = "open"


@dataclass(frozen=True)
class LinkedIssue:
    """A Data, Explore, Experiment or Model issue and the Ask (and Experiment) it belongs to.

    `status` is `open`, a DSLP outcome (`succeeded`, `failed`, `on hold`) or `closed`.
    """

    repository: str
    number: int
    kind: str
    ask_number: int
    title: str
    experiment_number: int | None = None
    branch: str = ""
    status: str = OPEN
    draft_id: str = ""
    url: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
