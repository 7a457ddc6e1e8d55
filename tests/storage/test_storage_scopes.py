"""Workspaces and tenants never mix, in storage: a person of scope B can neither read nor
change scope A's roles, links, subscriptions, digest settings, snoozes, drafts or Asks.

Both scopes use the same ids where a platform allows it (channel C1, user U1), because a
channel or user id is unique only within its workspace.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.ask.commands import visible_to
from bot.digest.model import Schedule, Subscription, place_key
from bot.types import Draft, FiledAsk, Member, Person, Place, Scope
from storage.asks import SqlAskStore
from storage.database import Database
from storage.digest import SqlSnoozeStore, SqlSubscriptionStore
from storage.drafts import SqlDraftStore
from storage.identities import SqlIdentityStore
from storage.people import SqlPeopleStore

A, B = Scope("slack", "TA"), Scope("slack", "TB")
CHANNEL_A, CHANNEL_B = Place("slack", "C1", "TA"), Place("slack", "C1", "TB")
GRID = Place("slack", "C1", "T7", org_id="E1")
ANA, BEN = Person("slack", "U1", "TA"), Person("slack", "U1", "TB")
NOW = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)


async def test_roles_are_per_scope(database: Database) -> None:
    people = SqlPeopleStore(database)
    await people.add_role(scope=A, repository="o/r", role="it", members=["slack:TA:U1"])
    assert await people.roles(scope=B, repository="o/r") == {}
    assert (
        await people.remove_role(scope=B, repository="o/r", role="it", members=["slack:TA:U1"]) == 0
    )
    assert await people.roles(scope=A, repository="o/r") == {"it": ("slack:TA:U1",)}
    assert await people.roles_everywhere(repository="o/r") == {
        "it": (Member("slack:TA", "slack:TA:U1"),)
    }


async def test_links_turn_into_members_only_in_their_scope(database: Database) -> None:
    people, identities = SqlPeopleStore(database), SqlIdentityStore(database)
    ana, ben = Member(A.key, ANA.key), Member(B.key, BEN.key)
    await identities.link(member=ana, login="Ana-GH", verified_by="github")
    assert await people.members_for_logins(scope=B, logins=["ana-gh"]) == {}
    await identities.link(member=ben, login="ana-gh", verified_by=f"{B.key}:UADMIN")
    assert await people.members_for_logins(scope=A, logins=["ANA-gh"]) == {"ana-gh": (ANA.key,)}
    assert await people.linked_everywhere(logins=["ana-gh"]) == {"ana-gh": (ana, ben)}


async def test_an_identity_is_read_only_in_its_own_scope(database: Database) -> None:
    identities = SqlIdentityStore(database)
    await identities.link(member=Member(A.key, ANA.key), login="ana-gh", verified_by="github")
    assert await identities.identity(member=Member(B.key, ANA.key)) is None
    assert await identities.unlink(member=Member(B.key, ANA.key)) is None
    assert await identities.identity(member=Member(A.key, ANA.key)) is not None


async def test_unverified_links_route_nothing_in_any_scope(database: Database) -> None:
    people, identities = SqlPeopleStore(database), SqlIdentityStore(database)
    await identities.link(member=Member(A.key, ANA.key), login="ana-gh", verified_by="")
    assert await people.members_for_logins(scope=A, logins=["ana-gh"]) == {}
    assert await people.linked_everywhere(logins=["ana-gh"]) == {}


async def test_subscriptions_are_per_scope_for_the_same_channel_id(database: Database) -> None:
    people = SqlPeopleStore(database)
    assert await people.subscribe(repository="o/r", place=CHANNEL_A, by=ANA.key)
    assert await people.subscriptions(place=CHANNEL_B) == []
    assert not await people.unsubscribe(repository="o/r", place=CHANNEL_B)
    assert await people.subscribe(repository="o/r", place=CHANNEL_B, by=BEN.key)
    assert await people.subscribe(repository="o/r", place=GRID, by="slack:T7:U7")
    assert await people.unsubscribe(repository="o/r", place=CHANNEL_B)
    assert await people.channels(repository="o/r") == [CHANNEL_A, GRID]
    assert [p.scope for p in await people.channels(repository="o/r")] == [A, Scope("slack", "E1")]


async def test_digest_settings_and_snoozes_are_per_scope(database: Database) -> None:
    subscriptions, snoozes = SqlSubscriptionStore(database), SqlSnoozeStore(database)
    await subscriptions.save(subscription=Subscription(CHANNEL_A, Schedule(9, 0)))
    assert await subscriptions.get(key=place_key(CHANNEL_B)) is None
    assert not await subscriptions.delete(key=place_key(CHANNEL_B))
    [saved] = await subscriptions.all()
    assert saved.place == CHANNEL_A and saved.key == "slack:TA:C1"
    until = NOW + timedelta(days=7)
    await snoozes.snooze(key=place_key(CHANNEL_B), repository="o/r", number=4, at=NOW, until=until)
    assert await snoozes.active(key=place_key(CHANNEL_A), now=NOW) == []
    grid = await subscriptions.save(subscription=Subscription(GRID, Schedule(9, 0)))
    assert grid.place == GRID and grid.key == "slack:E1:C1"


async def test_drafts_are_their_owners_only(database: Database) -> None:
    drafts = SqlDraftStore(database)
    await drafts.save(draft=Draft(id="d1", flow="ask", owner=ANA.key, origin=GRID))
    assert await drafts.list_open(owner=BEN.key) == []
    assert await drafts.get_open(owner=BEN.key, flow="ask") is None
    [mine] = await drafts.list_open(owner=ANA.key)
    assert mine.origin == GRID  # the Grid org survives the round trip


async def test_a_filed_ask_is_shown_only_in_its_scope_and_to_its_requester(
    database: Database,
) -> None:
    asks = SqlAskStore(database)
    ask = FiledAsk(7, "u", "Churn", ANA.key, "Ana", CHANNEL_A, "d1", repository="o/r")
    stored = await asks.record(ask=ask)
    assert stored.scope == A.key
    assert visible_to(stored, Person("slack", "U2", "TA"))
    assert not visible_to(stored, BEN)
    assert visible_to(stored, ANA)
    assert not visible_to(stored, Person("slack", "U2", "TA", org_id="E1"))  # the org's scope
    assert await asks.by_requester(requester=BEN.key) == []
