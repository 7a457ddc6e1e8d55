"""The registry's store in SQL (bot.repositories.ports.RepositoryStore)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, delete, select
from sqlmodel.sql.expression import SelectOfScalar

from bot.repositories.model import Installation, ServedRepository
from storage.database import Database, insert_into
from storage.repositories_tables import GitHubInstallationRow, ServedRepositoryRow
from storage.values import utc_now


class SqlRepositoryStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def find(self, *, full_name: str) -> ServedRepository | None:
        query = _served().where(col(ServedRepositoryRow.repository) == full_name.casefold())

        def work(session: Session) -> ServedRepository | None:
            row = session.exec(query).first()
            return None if row is None else _served_repository(row)

        return await self._db.read(work)

    async def served(self) -> Sequence[ServedRepository]:
        query = _served().order_by(col(ServedRepositoryRow.repository))
        return await self._db.read(
            lambda session: [_served_repository(row) for row in session.exec(query)]
        )

    async def put(self, *, installation: Installation) -> None:
        await self._db.run(lambda session: _put(session, installation))

    async def remove(self, *, installation_id: int, full_names: Sequence[str]) -> None:
        statement = delete(ServedRepositoryRow).where(
            col(ServedRepositoryRow.installation_id) == installation_id,
            col(ServedRepositoryRow.repository).in_([name.casefold() for name in full_names]),
        )
        await self._db.run(lambda session: session.exec(statement))

    async def drop(self, *, installation_id: int) -> None:
        await self._db.run(lambda session: _drop(session, installation_id))

    async def suspend(self, *, installation_id: int, suspended: bool) -> None:
        def work(session: Session) -> None:
            row = session.get(GitHubInstallationRow, installation_id)
            if row is not None:
                row.suspended, row.updated_at = suspended, utc_now()

        await self._db.run(work)

    async def replace_all(self, *, installations: Sequence[Installation]) -> None:
        def work(session: Session) -> None:
            session.exec(delete(ServedRepositoryRow))
            session.exec(delete(GitHubInstallationRow))
            for installation in installations:
                _put(session, installation)

        await self._db.run(work)


def _served() -> SelectOfScalar[ServedRepositoryRow]:
    """Repositories of installations that are not suspended."""
    installation = col(GitHubInstallationRow.installation_id)
    return (
        select(ServedRepositoryRow)
        .join(GitHubInstallationRow, installation == col(ServedRepositoryRow.installation_id))
        .where(col(GitHubInstallationRow.suspended).is_(False))
    )


def _put(session: Session, installation: Installation) -> None:
    """Upsert the installation and its repositories (a repository may move between them)."""
    now = utc_now()
    values = {"account": installation.account, "suspended": installation.suspended}
    statement = insert_into(session, GitHubInstallationRow).values(
        installation_id=installation.id, updated_at=now, **values
    )
    session.exec(
        statement.on_conflict_do_update(
            index_elements=["installation_id"], set_={**values, "updated_at": now}
        )
    )
    for repository in installation.repositories:
        columns = {
            "full_name": repository.full_name,
            "installation_id": installation.id,
            "private": bool(repository.private),
            "updated_at": now,
        }
        upsert = insert_into(session, ServedRepositoryRow).values(
            repository=repository.key, **columns
        )
        session.exec(upsert.on_conflict_do_update(index_elements=["repository"], set_=columns))


def _drop(session: Session, installation_id: int) -> None:
    session.exec(
        delete(ServedRepositoryRow).where(
            col(ServedRepositoryRow.installation_id) == installation_id
        )
    )
    session.exec(
        delete(GitHubInstallationRow).where(
            col(GitHubInstallationRow.installation_id) == installation_id
        )
    )


def _served_repository(row: ServedRepositoryRow) -> ServedRepository:
    return ServedRepository(row.full_name, row.installation_id, row.private)
