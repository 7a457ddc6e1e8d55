"""bot.playbook.ports.PlaybookStore over SQL: one row per repository, made on first change."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from storage.database import Database, insert_into
from storage.playbook_tables import PlaybookRepositoryRow
from storage.values import utc_now


class SqlPlaybookStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def branches_on(self, *, repository: str) -> bool:
        query = select(PlaybookRepositoryRow.branches_off).where(
            col(PlaybookRepositoryRow.repository) == repository.casefold()
        )
        off = await self._db.read(lambda session: session.exec(query).first())
        return not off

    async def set_branches(self, *, repository: str, on: bool, by: str) -> bool:
        def work(session: Session) -> bool:
            row = session.get(PlaybookRepositoryRow, repository.casefold())
            if row is None:
                row = PlaybookRepositoryRow(repository=repository.casefold())
            if row.branches_off == (not on) and row.set_by:
                return False
            row.branches_off, row.set_by, row.updated_at = not on, by, utc_now()
            session.add(row)
            return True

        return await self._db.run(work)

    async def project(self, *, repository: str) -> str:
        query = select(PlaybookRepositoryRow.project).where(
            col(PlaybookRepositoryRow.repository) == repository.casefold()
        )
        return await self._db.read(lambda session: session.exec(query).first()) or ""

    async def set_project(self, *, repository: str, project: str, by: str) -> None:
        def work(session: Session) -> None:
            row = session.get(PlaybookRepositoryRow, repository.casefold())
            row = row or PlaybookRepositoryRow(repository=repository.casefold())
            row.project, row.set_by, row.updated_at = project, by, utc_now()
            session.add(row)

        await self._db.run(work)

    async def repositories_of(self, *, project: str) -> list[str]:
        query = select(PlaybookRepositoryRow.repository).where(
            func.lower(PlaybookRepositoryRow.project) == project.casefold()
        )
        return await self._db.read(lambda session: list(session.exec(query).all()))

    async def any_project(self) -> bool:
        """Whether some repository chose a Project (`dslp-bot doctor` then checks Projects)."""
        query = select(PlaybookRepositoryRow.repository).where(
            col(PlaybookRepositoryRow.project) != ""
        )
        return await self._db.read(lambda session: session.exec(query).first() is not None)

    async def refusal_told(self, *, repository: str) -> bool:
        """One statement, so two replicas filing at once tell it once between them."""

        def work(session: Session) -> bool:
            values = {"repository": repository.casefold(), "refusal_told": True}
            values |= {"branches_off": False, "set_by": "", "project": ""}
            statement = insert_into(session, PlaybookRepositoryRow).values(
                **values, updated_at=utc_now()
            )
            statement = statement.on_conflict_do_update(
                index_elements=["repository"],
                set_={"refusal_told": True},
                where=col(PlaybookRepositoryRow.refusal_told).is_(False),
            )
            return session.exec(statement).rowcount == 0  # type: ignore[no-any-return]

        return await self._db.run(work)
