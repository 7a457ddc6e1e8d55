"""The registry's values: a served repository, an installation, and a change GitHub reports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class ServedRepository:
    """A repository the bot files into and reads from.

    `installation_id` is the GitHub App installation that grants it (None: served with
    GITHUB_TOKEN); `private` is None when nobody has told us (token mode).
    """

    full_name: str
    installation_id: int | None = None
    private: bool | None = None

    @property
    def key(self) -> str:
        """GitHub treats `Octo/DSLP` and `octo/dslp` as one repository; so do our keys."""
        return self.full_name.casefold()


@dataclass(frozen=True)
class Installation:
    """One installation of the GitHub App, on a user or an organisation."""

    id: int
    account: str
    suspended: bool = False
    repositories: tuple[ServedRepository, ...] = ()


class Change(StrEnum):
    """The `installation` and `installation_repositories` webhook actions the registry follows."""

    CREATED = "created"
    DELETED = "deleted"
    SUSPENDED = "suspend"
    UNSUSPENDED = "unsuspend"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class InstallationChange:
    """What an installation webhook says happened; `added` and `removed` name repositories."""

    change: Change
    installation_id: int
    account: str
    added: tuple[ServedRepository, ...] = ()
    removed: tuple[str, ...] = ()
