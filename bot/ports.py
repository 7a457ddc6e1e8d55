"""The narrow interfaces the core needs from the outside world.

Storage and trackers implement these in `storage/` and `adapters/`; tests use
the real implementations or small recording fakes, never patches of our code.
Keyword-only arguments keep call sites readable and stable.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.types import Draft, FiledAsk, Issue, LabelSpec, Place, Reply


class DraftStore(Protocol):
    async def get(self, *, draft_id: str) -> Draft | None: ...

    async def get_open(self, *, owner: str, flow: str) -> Draft | None:
        """The owner's newest draft of that flow that is not filed or discarded."""
        ...

    async def list_open(self, *, owner: str) -> Sequence[Draft]: ...

    async def save(self, *, draft: Draft) -> Draft:
        """Insert or update; returns the draft with its timestamps set."""
        ...

    async def claim_submitting(self, *, limit: int, lease_seconds: float) -> Sequence[Draft]:
        """Drafts waiting to be filed whose lease is free; leased to this caller.

        The lease is what keeps two workers (or two replicas) from filing the
        same draft at the same moment.
        """
        ...


class AskStore(Protocol):
    async def record(self, *, ask: FiledAsk) -> FiledAsk:
        """Idempotent on (repository, issue_number)."""
        ...

    async def by_number(self, *, repository: str, number: int) -> FiledAsk | None: ...

    async def by_requester(self, *, requester: str) -> Sequence[FiledAsk]: ...


class TrackerError(Exception):
    """A tracker call failed after its retries; `message` is safe to show users."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class Tracker(Protocol):
    """An issue tracker: GitHub, or the local one kept in our own database."""

    @property
    def repository(self) -> str:
        """`owner/name` for GitHub; `local` for the local tracker."""
        ...

    async def create_issue(
        self, *, title: str, body: str, labels: Sequence[str], marker: str
    ) -> Issue:
        """Create at most one issue per `marker` (a string the body contains).

        Before any retry the tracker looks for an issue whose body holds the
        marker, so a create that succeeded but answered 5xx is not repeated.
        """
        ...

    async def find_by_marker(self, *, marker: str) -> Issue | None: ...

    async def get_issue(self, *, number: int) -> Issue | None: ...

    async def edit_issue(
        self, *, number: int, body: str | None = None, state: str | None = None
    ) -> Issue: ...

    async def add_labels(self, *, number: int, labels: Sequence[str]) -> Issue: ...

    async def remove_label(self, *, number: int, label: str) -> Issue: ...

    async def comment(self, *, number: int, body: str) -> None: ...

    async def list_issues(
        self, *, labels: Sequence[str] = (), state: str = "open", since: datetime | None = None
    ) -> Sequence[Issue]:
        """Every page; `since` keeps only issues updated at or after it (the digest's look-back)."""
        ...

    async def ensure_labels(self, *, labels: Sequence[LabelSpec]) -> Sequence[str]:
        """Create or recolour missing labels; returns the names it changed."""
        ...

    async def can_label(self) -> bool:
        """Whether labels will stick (GitHub drops them silently without push access)."""
        ...


class Outbox(Protocol):
    """Sends replies to a place outside the request that caused them."""

    async def send(self, *, place: Place, replies: Sequence[Reply]) -> None: ...
