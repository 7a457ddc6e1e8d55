"""Who is who in SQL (bot.ports.PeopleStore): roles, GitHub links, subscribed channels.

Every row carries its scope (bot.types.Scope: a Slack workspace or Grid org,
a Teams tenant, the console), and every read and write names one, so a
person in one workspace can never see or change another's. The only reads
across scopes are `roles_everywhere` and `linked_everywhere`, for the
notification planner, which hands back each member with its scope so it is
mentioned only in that scope's channels. Rows of the `legacy` scope (see
storage.values.LEGACY_SCOPE) are never read.

Only verified links (bot/identity: signed in, or vouched for by an admin)
route mentions and owners; storage/identities.py writes them.

Repository names are kept casefolded: GitHub treats `Octo/DSLP` and
`octo/dslp` as one repository, and so must a role or a subscription.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, delete, select

from bot.types import Member, Place, Scope
from storage.database import Database, insert_into
from storage.lifecycle_tables import (
    ChannelRepositoryRow,
    GitHubLinkRow,
    RoleRow,
    SubscriptionRow,
)
from storage.values import LEGACY_SCOPE, org_of, utc_now


class SqlPeopleStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_role(
        self, *, scope: Scope, repository: str, role: str, members: Sequence[str]
    ) -> None:
        def work(session: Session) -> None:
            for member in members:
                values = {
                    "scope": scope.key,
                    "repository": repository.casefold(),
                    "role": role,
                    "member": member,
                }
                statement = insert_into(session, RoleRow).values(**values, created_at=utc_now())
                session.exec(
                    statement.on_conflict_do_nothing(
                        index_elements=["scope", "repository", "role", "member"]
                    )
                )

        await self._db.run(work)

    async def remove_role(
        self, *, scope: Scope, repository: str, role: str, members: Sequence[str]
    ) -> int:
        statement = delete(RoleRow).where(
            col(RoleRow.scope) == scope.key,
            col(RoleRow.repository) == repository.casefold(),
            col(RoleRow.role) == role,
            col(RoleRow.member).in_(list(members)),
        )
        return await self._db.run(lambda session: session.exec(statement).rowcount)

    async def roles(self, *, scope: Scope, repository: str) -> Mapping[str, tuple[str, ...]]:
        everywhere = await self._roles(repository, scope.key)
        return {role: tuple(m.key for m in members) for role, members in everywhere.items()}

    async def roles_everywhere(self, *, repository: str) -> Mapping[str, tuple[Member, ...]]:
        return await self._roles(repository, None)

    async def _roles(self, repository: str, scope: str | None) -> dict[str, tuple[Member, ...]]:
        query = (
            select(RoleRow)
            .where(col(RoleRow.repository) == repository.casefold(), _live(RoleRow.scope, scope))
            .order_by(col(RoleRow.role), col(RoleRow.id))
        )

        def work(session: Session) -> dict[str, tuple[Member, ...]]:
            found: dict[str, list[Member]] = {}
            for row in session.exec(query):
                found.setdefault(row.role, []).append(Member(row.scope, row.member))
            return {role: tuple(members) for role, members in found.items()}

        return await self._db.read(work)

    async def members_for_logins(
        self, *, scope: Scope, logins: Sequence[str]
    ) -> Mapping[str, tuple[str, ...]]:
        found = await self._linked(logins, scope.key)
        return {login: tuple(m.key for m in members) for login, members in found.items()}

    async def linked_everywhere(self, *, logins: Sequence[str]) -> Mapping[str, tuple[Member, ...]]:
        return await self._linked(logins, None)

    async def _linked(
        self, logins: Sequence[str], scope: str | None
    ) -> dict[str, tuple[Member, ...]]:
        wanted = sorted({login.casefold() for login in logins if login})
        if not wanted:
            return {}
        query = (
            select(GitHubLinkRow)
            .where(
                col(GitHubLinkRow.login).in_(wanted),
                col(GitHubLinkRow.verified_by) != "",
                _live(GitHubLinkRow.scope, scope),
            )
            .order_by(col(GitHubLinkRow.created_at), col(GitHubLinkRow.member))
        )

        def work(session: Session) -> dict[str, tuple[Member, ...]]:
            found: dict[str, list[Member]] = {}
            for row in session.exec(query):
                found.setdefault(row.login, []).append(Member(row.scope, row.member))
            return {login: tuple(members) for login, members in found.items()}

        return await self._db.read(work)

    async def subscribe(self, *, repository: str, place: Place, by: str) -> bool:
        def work(session: Session) -> bool:
            values = {**_channel(repository, place), "created_by": by, "created_at": utc_now()}
            statement = insert_into(session, SubscriptionRow).values(**values)
            keys = ["repository", "scope", "channel_id"]
            inserted = statement.on_conflict_do_nothing(index_elements=keys)
            return session.exec(inserted.returning(SubscriptionRow.id)).first() is not None

        return await self._db.run(work)

    async def unsubscribe(self, *, repository: str, place: Place) -> bool:
        statement = delete(SubscriptionRow).where(
            col(SubscriptionRow.repository) == repository.casefold(),
            *_same_channel(place),
        )
        return await self._db.run(lambda session: bool(session.exec(statement).rowcount))

    async def channels(self, *, repository: str) -> Sequence[Place]:
        query = (
            select(SubscriptionRow)
            .where(
                col(SubscriptionRow.repository) == repository.casefold(),
                _live(SubscriptionRow.scope, None),
            )
            .order_by(col(SubscriptionRow.id))
        )
        return await self._db.read(lambda session: [_place(row) for row in session.exec(query)])

    async def subscriptions(self, *, place: Place) -> Sequence[str]:
        query = (
            select(SubscriptionRow.repository)
            .where(*_same_channel(place))
            .order_by(col(SubscriptionRow.repository))
        )
        return await self._db.read(lambda session: list(session.exec(query)))

    async def is_subscribed(self, *, repository: str) -> bool:
        query = select(SubscriptionRow.id).where(
            col(SubscriptionRow.repository) == repository.casefold(),
            _live(SubscriptionRow.scope, None),
        )
        return await self._db.read(lambda session: session.exec(query).first() is not None)


def _live(column: Any, scope: str | None) -> ColumnElement[bool]:
    """That scope's rows; with None, every scope's except the legacy one."""
    return col(column) == scope if scope is not None else col(column) != LEGACY_SCOPE


def _same_channel(place: Place) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (
        col(SubscriptionRow.scope) == place.scope.key,
        col(SubscriptionRow.channel_id) == place.channel_id,
    )


def _channel(repository: str, place: Place) -> dict[str, str]:
    """A channel, not a thread: a subscription covers the whole channel."""
    return {
        "repository": repository.casefold(),
        "scope": place.scope.key,
        "platform": place.platform,
        "team_id": place.team_id,
        "channel_id": place.channel_id,
    }


def _place(row: SubscriptionRow) -> Place:
    return Place(row.platform, row.channel_id, row.team_id, org_id=org_of(row.scope, row.team_id))


class SqlChannelRepositories:
    """bot.repositories.homes.ChannelRepositoryStore: one home per channel of a scope."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, *, place: Place) -> str | None:
        query = select(ChannelRepositoryRow.repository).where(
            col(ChannelRepositoryRow.scope) == place.scope.key,
            col(ChannelRepositoryRow.channel_id) == place.channel_id,
        )
        return await self._db.read(lambda session: session.exec(query).first())

    async def put(self, *, place: Place, repository: str, by: str) -> None:
        def work(session: Session) -> None:
            values = {
                "scope": place.scope.key,
                "channel_id": place.channel_id,
                "repository": repository,
                "set_by": by,
                "updated_at": utc_now(),
            }
            statement = insert_into(session, ChannelRepositoryRow).values(**values)
            changed = {key: values[key] for key in ("repository", "set_by", "updated_at")}
            session.exec(
                statement.on_conflict_do_update(
                    index_elements=["scope", "channel_id"], set_=changed
                )
            )

        await self._db.run(work)
