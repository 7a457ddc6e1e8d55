"""The narrow interfaces the core needs from the outside world.

Storage and trackers implement these in `storage/` and `adapters/`; tests use
the real implementations or small recording fakes, never patches of our code.
Keyword-only arguments keep call sites readable and stable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from bot.linked.records import LinkedIssue
from bot.types import Draft, FiledAsk, Issue, LabelSpec, Member, Place, Reply, Scope

if TYPE_CHECKING:
    from bot.lifecycle.audience import Delivery, Recording
    from bot.lifecycle.events import KnownIssue, TrackerEvent


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

    async def by_numbers(
        self, *, repository: str, numbers: Sequence[int]
    ) -> Mapping[int, FiledAsk]:
        """The filed Asks among `numbers`, by number (missing ones left out)."""
        ...

    async def by_requester(self, *, requester: str) -> Sequence[FiledAsk]: ...


class LinkStore(Protocol):
    """The linked issues the bot opened (Data, Explore, Experiment, Model), per repository."""

    async def record(self, *, link: LinkedIssue) -> LinkedIssue:
        """Insert, or update what changed; idempotent on (repository, number)."""
        ...

    async def get(self, *, repository: str, number: int) -> LinkedIssue | None: ...

    async def for_ask(self, *, repository: str, ask_number: int) -> Sequence[LinkedIssue]:
        """Every linked issue of one Ask, in number order."""
        ...

    async def set_status(self, *, repository: str, number: int, status: str) -> LinkedIssue | None:
        """None when the bot does not know that issue (opened by hand on GitHub)."""
        ...


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

    async def is_private(self) -> bool:
        """Whether only some people may see the repository (GitHub's `private`), asked each time:
        a repository's visibility can change."""
        ...


class Outbox(Protocol):
    """Sends replies to a place outside the request that caused them."""

    async def send(self, *, place: Place, replies: Sequence[Reply]) -> None: ...


class DeliveryError(Exception):
    """A platform Outbox could not deliver; says whether and when to try again.

    `retry_after` is the platform's own wait (Slack and Teams 429 `Retry-After`),
    in seconds; `permanent` means retrying cannot help (channel gone, bot removed).
    """

    def __init__(
        self, message: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
        self.permanent = permanent


class PeopleStore(Protocol):
    """Who is who: roles per repository, GitHub logins, subscribed channels, each per scope.

    Members are member keys (`slack:T:U`, `slack:T:group:S`, `teams:tenant:user`).
    Everything a person reads or changes names their scope (bot.types.Scope);
    a channel's scope travels in its Place. Only the `..._everywhere` reads
    cross scopes, and they tag every member with its own.
    """

    async def add_role(
        self, *, scope: Scope, repository: str, role: str, members: Sequence[str]
    ) -> None: ...

    async def remove_role(
        self, *, scope: Scope, repository: str, role: str, members: Sequence[str]
    ) -> int:
        """How many of the members had the role in that scope."""
        ...

    async def roles(self, *, scope: Scope, repository: str) -> Mapping[str, tuple[str, ...]]:
        """Role -> members, roles sorted, members in the order they were added."""
        ...

    async def roles_everywhere(self, *, repository: str) -> Mapping[str, tuple[Member, ...]]:
        """Every scope's roles in the repository, for planning notifications."""
        ...

    async def members_for_logins(
        self, *, scope: Scope, logins: Sequence[str]
    ) -> Mapping[str, tuple[str, ...]]:
        """Casefolded login -> members of that scope whose link to it is verified."""
        ...

    async def linked_everywhere(self, *, logins: Sequence[str]) -> Mapping[str, tuple[Member, ...]]:
        """Casefolded login -> members of every scope whose link to it is verified."""
        ...

    async def subscribe(self, *, repository: str, place: Place, by: str) -> bool:
        """False when that channel was subscribed already."""
        ...

    async def unsubscribe(self, *, repository: str, place: Place) -> bool: ...

    async def channels(self, *, repository: str) -> Sequence[Place]:
        """Every scope's subscribed channels; each Place carries its scope."""
        ...

    async def subscriptions(self, *, place: Place) -> Sequence[str]:
        """The repositories a channel is subscribed to."""
        ...

    async def is_subscribed(self, *, repository: str) -> bool: ...


class EventJournal(Protocol):
    """Tracker events and the notifications they cause, recorded together."""

    async def seen(self, *, delivery: str) -> bool: ...

    async def seen_among(self, *, deliveries: Sequence[str]) -> set[str]:
        """Which of these delivery ids were recorded."""
        ...

    async def record(
        self,
        *,
        event: TrackerEvent,
        ask_number: int | None,
        deliveries: Sequence[Delivery],
        phase: str | None = None,
    ) -> bool:
        """One transaction: the event, its deliveries and the Ask's new phase.

        False (and nothing written) when the event's delivery id was recorded
        before; a delivery whose key exists already is skipped, not repeated.
        """
        ...

    async def record_all(self, *, recordings: Sequence[Recording]) -> set[str]:
        """One transaction for all of them, each as `record`; the delivery ids recorded now."""
        ...

    async def known_issue(self, *, repository: str, number: int) -> KnownIssue | None:
        """The issue as the newest recorded event about it showed it."""
        ...

    async def watchers(self, *, repository: str, ask_number: int) -> Sequence[Place]:
        """Every place that was sent a notification about that Ask."""
        ...
