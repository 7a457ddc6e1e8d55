"""PeopleSnapshot: one read per batch, and never a stale answer after its own write."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.people.snapshot import PeopleSnapshot
from bot.types import Member, Place, Scope

CHANNEL = Place("slack", "C1", "T1")
SCOPE = Scope("slack", "T1")


@dataclass
class CountingPeople:
    """A tiny in-memory PeopleStore that counts its reads."""

    role_map: dict[str, list[str]] = field(default_factory=dict)
    reads: int = 0

    async def roles(self, *, scope: Scope, repository: str) -> Mapping[str, tuple[str, ...]]:
        return {role: tuple(members) for role, members in self.role_map.items()}

    async def roles_everywhere(self, *, repository: str) -> Mapping[str, tuple[Member, ...]]:
        self.reads += 1
        found = self.role_map.items()
        return {role: tuple(Member(SCOPE.key, m) for m in members) for role, members in found}

    async def channels(self, *, repository: str) -> Sequence[Place]:
        self.reads += 1
        return [CHANNEL]

    async def members_for_logins(
        self, *, scope: Scope, logins: Sequence[str]
    ) -> Mapping[str, tuple[str, ...]]:
        return {}

    async def linked_everywhere(self, *, logins: Sequence[str]) -> Mapping[str, tuple[Member, ...]]:
        self.reads += 1
        return {}

    async def is_subscribed(self, *, repository: str) -> bool:
        self.reads += 1
        return True

    async def subscriptions(self, *, place: Place) -> Sequence[str]:
        return []

    async def add_role(
        self, *, scope: Scope, repository: str, role: str, members: Sequence[str]
    ) -> None:
        self.role_map.setdefault(role, []).extend(members)

    async def remove_role(
        self, *, scope: Scope, repository: str, role: str, members: Sequence[str]
    ) -> int:
        return 0

    async def subscribe(self, *, repository: str, place: Place, by: str) -> bool:
        return True

    async def unsubscribe(self, *, repository: str, place: Place) -> bool:
        return True


async def test_reads_are_made_once_per_repository_and_login_set() -> None:
    people = CountingPeople()
    snapshot = PeopleSnapshot(people)
    for repository in ("octo/dslp", "Octo/DSLP", "octo/dslp"):
        await snapshot.roles_everywhere(repository=repository)
        await snapshot.channels(repository=repository)
        await snapshot.is_subscribed(repository=repository)
        await snapshot.linked_everywhere(logins=["Ana", "bob"])
    await snapshot.linked_everywhere(logins=["bob", "ana"])
    assert people.reads == 4


async def test_a_write_through_the_snapshot_is_seen_by_the_next_read() -> None:
    people = CountingPeople()
    snapshot = PeopleSnapshot(people)
    assert await snapshot.roles_everywhere(repository="octo/dslp") == {}
    await snapshot.add_role(scope=SCOPE, repository="octo/dslp", role="it", members=["slack:T1:U1"])
    assert await snapshot.roles_everywhere(repository="octo/dslp") == {
        "it": (Member(SCOPE.key, "slack:T1:U1"),)
    }
