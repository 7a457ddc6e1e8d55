"""What the permission service asks GitHub."""

from __future__ import annotations

from typing import Protocol

from bot.permissions.model import Access


class AccessError(Exception):
    """GitHub did not say; `denied` when it answered 401/403 (our view of the repository went)."""

    def __init__(self, message: str, *, denied: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.denied = denied


class AccessLookup(Protocol):
    async def access(self, *, repository: str, login: str) -> Access:
        """The person's role on the repository (GitHub's collaborator permission)."""
        ...
