"""Who is who in SQL (bot.ports.PeopleStore): roles, GitHub links, subscribed channels.

Only verified links (bot/identity: signed in, or vouched for by an admin) route
mentions and owners; storage/identities.py writes them.

Repository names are kept casefolded: GitHub treats `Octo/DSLP` and
`octo/dslp` as one repository, and so must a role or a subscription.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlmodel import Session, col, delete, select

from bot.types import Place
from storage.database import Database, insert_into
from storage.lifecycle_tables import GitHubLinkRow, RoleRow, SubscriptionRow
from storage.values import utc_now


class SqlPeopleStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_role(self, *, repository: str, role: str, members: Sequence[str]) -> None:
        def work(session: Session) -> None:
            for member in members:
                values = {"repository": repository.casefold(), "role": role, "member": member}
                statement = insert_into(session, RoleRow).values(**values, created_at=utc_now())
                session.exec(
                    statement.on_conflict_do_nothing(
                        index_elements=["repository", "role", "member"]
                    )
                )

        await self._db.run(work)

    async def remove_role(self, *, repository: str, role: str, members: Sequence[str]) -> int:
        statement = delete(RoleRow).where(
            col(RoleRow.repository) == repository.casefold(),
            col(RoleRow.role) == role,
            col(RoleRow.member).in_(list(members)),
        )
        return await self._db.run(lambda session: session.exec(statement).rowcount)

    async def roles(self, *, repository: str) -> Mapping[str, tuple[str, ...]]:
        query = (
            select(RoleRow)
            .where(col(RoleRow.repository) == repository.casefold())
            .order_by(col(RoleRow.role), col(RoleRow.id))
        )

        def work(session: Session) -> dict[str, tuple[str, ...]]:
            found: dict[str, list[str]] = {}
            for row in session.exec(query):
                found.setdefault(row.role, []).append(row.member)
            return {role: tuple(members) for role, members in found.items()}

        return await self._db.read(work)

    async def members_for_logins(self, *, logins: Sequence[str]) -> Mapping[str, tuple[str, ...]]:
        wanted = sorted({login.casefold() for login in logins if login})
        if not wanted:
            return {}
        query = (
            select(GitHubLinkRow)
            .where(col(GitHubLinkRow.login).in_(wanted), col(GitHubLinkRow.verified_by) != "")
            .order_by(col(GitHubLinkRow.created_at), col(GitHubLinkRow.member))
        )

        def work(session: Session) -> dict[str, tuple[str, ...]]:
            found: dict[str, list[str]] = {}
            for row in session.exec(query):
                found.setdefault(row.login, []).append(row.member)
            return {login: tuple(members) for login, members in found.items()}

        return await self._db.read(work)

    async def subscribe(self, *, repository: str, place: Place, by: str) -> bool:
        def work(session: Session) -> bool:
            values = {**_channel(repository, place), "created_by": by, "created_at": utc_now()}
            statement = insert_into(session, SubscriptionRow).values(**values)
            keys = ["repository", "platform", "team_id", "channel_id"]
            inserted = statement.on_conflict_do_nothing(index_elements=keys)
            return session.exec(inserted.returning(SubscriptionRow.id)).first() is not None

        return await self._db.run(work)

    async def unsubscribe(self, *, repository: str, place: Place) -> bool:
        conditions = [
            getattr(SubscriptionRow, name) == value
            for name, value in _channel(repository, place).items()
        ]
        statement = delete(SubscriptionRow).where(*conditions)
        return await self._db.run(lambda session: bool(session.exec(statement).rowcount))

    async def channels(self, *, repository: str) -> Sequence[Place]:
        query = (
            select(SubscriptionRow)
            .where(col(SubscriptionRow.repository) == repository.casefold())
            .order_by(col(SubscriptionRow.id))
        )
        return await self._db.read(lambda session: [_place(row) for row in session.exec(query)])

    async def subscriptions(self, *, place: Place) -> Sequence[str]:
        query = (
            select(SubscriptionRow.repository)
            .where(
                col(SubscriptionRow.platform) == place.platform,
                col(SubscriptionRow.team_id) == place.team_id,
                col(SubscriptionRow.channel_id) == place.channel_id,
            )
            .order_by(col(SubscriptionRow.repository))
        )
        return await self._db.read(lambda session: list(session.exec(query)))

    async def is_subscribed(self, *, repository: str) -> bool:
        query = select(SubscriptionRow.id).where(
            col(SubscriptionRow.repository) == repository.casefold()
        )
        return await self._db.read(lambda session: session.exec(query).first() is not None)


def _channel(repository: str, place: Place) -> dict[str, str]:
    """A channel, not a thread: a subscription covers the whole channel."""
    return {
        "repository": repository.casefold(),
        "platform": place.platform,
        "team_id": place.team_id,
        "channel_id": place.channel_id,
    }


def _place(row: SubscriptionRow) -> Place:
    return Place(row.platform, row.channel_id, row.team_id)
