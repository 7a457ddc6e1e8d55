"""What the registry needs (storage, GitHub) and what it offers the core (`Trackers`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.ports import Tracker
from bot.repositories.model import Installation, InstallationChange, ServedRepository
from bot.types import Member


class RepositoryStore(Protocol):
    """The installations and their repositories, as the App's webhooks last described them."""

    async def find(self, *, full_name: str) -> ServedRepository | None:
        """The repository, unless its installation is suspended or it is not granted."""
        ...

    async def served(self) -> Sequence[ServedRepository]:
        """Every repository of an installation that is not suspended, by name."""
        ...

    async def put(self, *, installation: Installation) -> None:
        """Record the installation; its repositories are added to those already known."""
        ...

    async def remove(self, *, installation_id: int, full_names: Sequence[str]) -> None: ...

    async def drop(self, *, installation_id: int) -> None:
        """Forget the installation and every repository it granted."""
        ...

    async def suspend(self, *, installation_id: int, suspended: bool) -> None: ...

    async def replace_all(self, *, installations: Sequence[Installation]) -> None:
        """Make the stored state exactly these installations (a full sync with GitHub)."""
        ...


class InstallationSource(Protocol):
    """GitHub's own answer: the App's installations with the repositories each grants."""

    async def installations(self) -> Sequence[Installation]: ...


class Registry(Protocol):
    """Which repositories the bot serves."""

    @property
    def default(self) -> str:
        """GITHUB_REPOSITORY: where things go when nothing names a repository."""
        ...

    async def find(self, full_name: str) -> ServedRepository | None: ...

    async def served(self) -> Sequence[ServedRepository]:
        """Every served repository, the default first."""
        ...

    async def apply(self, change: InstallationChange) -> bool:
        """Follow an installation webhook; False when this registry is not kept by them."""
        ...


class Trackers(Protocol):
    """A tracker per served repository, each with that repository's credentials."""

    @property
    def default(self) -> Tracker:
        """The default repository's tracker (what `App.tracker` is)."""
        ...

    async def for_repository(self, full_name: str) -> Tracker:
        """Raises `UnknownRepository` (a `TrackerError`) for a repository the bot does not serve."""
        ...

    async def writer(self, full_name: str, member: Member) -> Tracker:
        """What to write with for `member` ("" names the default repository): their own user
        token's tracker where `Acting` has one, else the bot's."""
        ...

    async def voice(self, full_name: str, member: Member) -> str:
        """The verified GitHub login to name in what the bot's own token writes for `member`
        (GitHub cannot show them as the actor); "" when their own token writes (it does) or
        nobody verified them."""
        ...


class VerifiedLogins(Protocol):
    """Who a chat member is on GitHub, as they proved it (bot.identity.service.Identities)."""

    async def verified_login(self, member: Member) -> str:
        """ "" when the member is not verified."""
        ...


class Acting(Protocol):
    """Writes made as the person, so GitHub shows them as the actor (App mode, signed in)."""

    async def tracker_as(self, member: Member, tracker: Tracker) -> Tracker | None:
        """`tracker`'s repository with the member's own user token; None when there is none."""
        ...
