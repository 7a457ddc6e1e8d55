"""Access levels as GitHub names them, and what a command needs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Access(IntEnum):
    """GitHub's repository roles, weakest first, so `have >= need` reads as it should."""

    NONE = 0
    READ = 1
    TRIAGE = 2
    WRITE = 3
    MAINTAIN = 4
    ADMIN = 5

    @classmethod
    def named(cls, role: str) -> Access | None:
        """`write`, `maintain`, ... as GitHub's `role_name` or `permission` spell them."""
        return cls.__members__.get(role.strip().upper())


@dataclass(frozen=True)
class Need:
    """What a command needs: a verified person with at least `access`, or one of DSLP_ADMINS."""

    access: Access = Access.NONE
    admins: bool = False
    """Someone listed in DSLP_ADMINS may, whatever GitHub says."""

    @property
    def anyone(self) -> bool:
        return self.access is Access.NONE


ANYONE = Need()
READ = Need(Access.READ)
WRITE = Need(Access.WRITE)
MAINTAIN_OR_ADMINS = Need(Access.MAINTAIN, admins=True)
