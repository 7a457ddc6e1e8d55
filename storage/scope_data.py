"""Forgetting everything kept for one workspace, tenant or Grid org (its scope).

Every table that keeps rows for a scope has a `scope` column holding the scope's
key (`slack:T123`, `slack:E123`); an app uninstalled from a workspace takes
that workspace's rows with it. Tables found by their column, so a new scoped
table is covered without being listed here.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session

from storage.database import Database
from storage.schema import METADATA

SCOPE_COLUMN = "scope"


class SqlScopeData:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def forget(self, *, scope: str) -> int:
        """Delete the scope's rows in one transaction; how many went."""
        tables = [t for t in METADATA.sorted_tables if SCOPE_COLUMN in t.columns]

        def work(session: Session) -> int:
            gone = 0
            for table in reversed(tables):
                result = session.connection().execute(
                    delete(table).where(table.c[SCOPE_COLUMN] == scope)
                )
                gone += result.rowcount
            return gone

        return await self._db.run(work)
