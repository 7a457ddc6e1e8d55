"""GitHub App installation tokens shared by the replicas (adapters.github.tokens.SharedTokens).

Each token is sealed with DSLP_SECRET_KEY (Fernet) before it reaches the
database and opened only in memory; one that the key cannot open (the key
changed) reads as none, and a new one is asked for. `lease_until` lets one
replica at a time ask GitHub: a replica that dies holding it blocks nobody
once it runs out.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from cryptography.fernet import InvalidToken
from sqlalchemy import or_
from sqlmodel import Session, col, select, update

from storage.database import Database, insert_into
from storage.identities import sealer
from storage.repositories_tables import InstallationTokenRow
from storage.values import utc_now


class SqlInstallationTokens:
    def __init__(self, db: Database, *, secret_key: str) -> None:
        self._db = db
        self._fernet = sealer(secret_key)

    def __repr__(self) -> str:
        return "SqlInstallationTokens()"

    async def get(self, installation_id: int) -> tuple[str, datetime] | None:
        query = select(InstallationTokenRow).where(
            col(InstallationTokenRow.installation_id) == installation_id
        )
        row = await self._db.read(lambda session: session.exec(query).first())
        if row is None or not row.token or row.expires_at is None:
            return None
        try:
            return self._fernet.decrypt(row.token.encode()).decode(), row.expires_at
        except InvalidToken:
            return None

    async def claim(self, installation_id: int, *, seconds: float) -> bool:
        """True for one caller until it saves or releases, or its lease runs out."""
        now = utc_now()
        until = now + timedelta(seconds=seconds)

        def work(session: Session) -> bool:
            # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT DO NOTHING.
            row = {"token": "", "lease_until": until, "updated_at": now}
            added = session.exec(
                insert_into(session, InstallationTokenRow)
                .values(installation_id=installation_id, **row)
                .on_conflict_do_nothing(index_elements=["installation_id"])
                .returning(col(InstallationTokenRow.installation_id))
            )
            if added.first() is not None:
                return True
            lease = col(InstallationTokenRow.lease_until)
            taken = session.exec(
                update(InstallationTokenRow)
                .where(
                    col(InstallationTokenRow.installation_id) == installation_id,
                    or_(lease.is_(None), lease < now),
                )
                .values(lease_until=until)
            )
            return bool(taken.rowcount == 1)

        return await self._db.run(work)

    async def save(self, installation_id: int, *, token: str, expires_at: datetime) -> None:
        """The new token, and the lease let go."""
        sealed = self._fernet.encrypt(token.encode()).decode()
        statement = (
            update(InstallationTokenRow)
            .where(col(InstallationTokenRow.installation_id) == installation_id)
            .values(token=sealed, expires_at=expires_at, lease_until=None, updated_at=utc_now())
        )
        await self._db.run(lambda session: session.exec(statement))

    async def release(self, installation_id: int) -> None:
        statement = (
            update(InstallationTokenRow)
            .where(col(InstallationTokenRow.installation_id) == installation_id)
            .values(lease_until=None)
        )
        await self._db.run(lambda session: session.exec(statement))

    async def forget(self, installation_id: int) -> None:
        """GitHub refused the stored token: nobody should use it again."""
        statement = (
            update(InstallationTokenRow)
            .where(col(InstallationTokenRow.installation_id) == installation_id)
            .values(token="", expires_at=None)
        )
        await self._db.run(lambda session: session.exec(statement))
