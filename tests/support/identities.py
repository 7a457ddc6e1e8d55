"""Giving a test person a verified GitHub login and a role on the fake repository."""

from __future__ import annotations

from adapters.app import App
from tests.fakes.github_api import FakeGitHub

TEST_ADMIN = "slack:T0:UTESTADMIN"


async def grant(app: App, fake: FakeGitHub, member: str, login: str, role: str = "write") -> None:
    """`member` is vouched for as `login`, who has `role` on the fake's repository."""
    await app.identities.vouch(member=member, login=login, by=TEST_ADMIN)
    fake.collaborator(login, role)
