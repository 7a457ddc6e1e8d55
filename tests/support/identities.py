"""Giving a test person a verified GitHub login and a role on the fake repository."""

from __future__ import annotations

from adapters.app import App
from bot.types import Member
from tests.fakes.github_api import FakeGitHub

TEST_ADMIN = "slack:T0:UTESTADMIN"


def member_of(key: str) -> Member:
    """A member key in the scope its platform and workspace or tenant name (no Grid org)."""
    platform, team, _ = key.split(":", 2)
    return Member(f"{platform}:{team}", key)


async def grant(
    app: App, fake: FakeGitHub, member: Member | str, login: str, role: str = "write"
) -> None:
    """`member` (a key: in its own workspace) is vouched for as `login`, who has `role` on the
    fake's repository."""
    member = member_of(member) if isinstance(member, str) else member
    await app.identities.vouch(member=member, login=login, by=TEST_ADMIN)
    fake.collaborator(login, role)
