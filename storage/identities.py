"""Verified people in SQL (bot.identity.ports.IdentityStore), with user tokens sealed.

Tokens are encrypted with Fernet under DSLP_SECRET_KEY before they reach a
row, and opened only on the way out: a database dump or backup holds no
usable GitHub token. The refresh lease is a column of the token's own row,
claimed by a conditional UPDATE, so it works alike on SQLite and PostgreSQL
and across replicas; a replica that dies mid-refresh frees it by expiry.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, delete, update

from bot.identity.model import Identity, PendingSignIn, Tokens
from bot.types import Member, Place
from storage.database import Database, insert_into
from storage.identity_tables import GitHubSignInRow, GitHubTokenRow
from storage.lifecycle_tables import GitHubLinkRow
from storage.values import utc_now


class SecretKeyError(ValueError):
    """DSLP_SECRET_KEY is missing or not a Fernet key; the message names the setting only."""


def sealer(secret_key: str) -> Fernet:
    try:
        return Fernet(secret_key.encode())
    except (ValueError, TypeError):
        raise SecretKeyError(
            "DSLP_SECRET_KEY is not a Fernet key (32 url-safe base64-encoded bytes)"
        ) from None


class SqlIdentityStore:
    def __init__(self, db: Database, *, secret_key: str = "") -> None:
        self._db = db
        self._fernet = sealer(secret_key) if secret_key else None

    # --- sign-ins ---------------------------------------------------------

    async def add_sign_in(self, *, state_hash: str, pending: PendingSignIn) -> None:
        now = utc_now()
        place = pending.confirm_to
        row = GitHubSignInRow(
            state_hash=state_hash,
            scope=pending.member.scope,
            member=pending.member.key,
            platform=place.platform,
            team_id=place.team_id,
            org_id=place.org_id,
            channel_id=place.channel_id,
            expires_at=pending.expires_at,
            created_at=now,
        )
        stale = delete(GitHubSignInRow).where(
            col(GitHubSignInRow.expires_at) < now - timedelta(days=1)
        )

        def work(session: Session) -> None:
            session.exec(stale)
            session.add(row)

        await self._db.run(work)

    async def sign_in(self, *, state_hash: str) -> PendingSignIn | None:
        row = await self._db.read(lambda session: session.get(GitHubSignInRow, state_hash))
        return _pending(row) if row is not None else None

    async def take_sign_in(self, *, state_hash: str) -> PendingSignIn | None:
        statement = (
            delete(GitHubSignInRow)
            .where(col(GitHubSignInRow.state_hash) == state_hash)
            .returning(GitHubSignInRow)
        )

        def work(session: Session) -> PendingSignIn | None:
            row = session.execute(statement).first()
            return _pending(row[0]) if row is not None else None

        return await self._db.run(work)

    # --- links --------------------------------------------------------------

    async def link(
        self, *, member: Member, login: str, verified_by: str, tokens: Tokens | None = None
    ) -> None:
        now = utc_now()
        keys = _key(member)
        values = {**keys, "login": login.casefold(), "verified_by": verified_by}
        sealed = self._sealed(tokens, now) if tokens is not None else None

        def work(session: Session) -> None:
            statement = insert_into(session, GitHubLinkRow).values(**values, created_at=now)
            changed = {"login": values["login"], "verified_by": verified_by, "created_at": now}
            session.exec(statement.on_conflict_do_update(index_elements=list(keys), set_=changed))
            session.exec(delete(GitHubTokenRow).where(*_token_of(member)))
            if sealed is not None:
                session.add(GitHubTokenRow(scope=member.scope, member=member.key, **sealed))

        await self._db.run(work)

    async def identity(self, *, member: Member) -> Identity | None:
        key = _key(member)
        row = await self._db.read(lambda session: session.get(GitHubLinkRow, key))
        return Identity(member, row.login, row.verified_by) if row is not None else None

    async def unlink(self, *, member: Member) -> Tokens | None:
        def work(session: Session) -> GitHubTokenRow | None:
            token = session.get(GitHubTokenRow, _key(member))
            session.exec(delete(GitHubTokenRow).where(*_token_of(member)))
            session.exec(
                delete(GitHubLinkRow).where(
                    col(GitHubLinkRow.scope) == member.scope,
                    col(GitHubLinkRow.member) == member.key,
                )
            )
            return token

        row = await self._db.run(work)
        return self._opened(row) if row is not None else None

    # --- tokens ---------------------------------------------------------------

    async def tokens(self, *, member: Member) -> Tokens | None:
        key = _key(member)
        row = await self._db.read(lambda session: session.get(GitHubTokenRow, key))
        return self._opened(row) if row is not None else None

    async def claim_refresh(self, *, member: Member, seconds: float) -> bool:
        now = utc_now()
        lease = col(GitHubTokenRow.refresh_lease_until)
        statement = (
            update(GitHubTokenRow)
            .where(*_token_of(member), or_(lease.is_(None), lease < now))
            .values(refresh_lease_until=now + timedelta(seconds=seconds))
        )
        return await self._db.run(lambda session: session.exec(statement).rowcount == 1)

    async def save_tokens(self, *, member: Member, tokens: Tokens) -> None:
        sealed = self._sealed(tokens, utc_now())
        statement = (
            update(GitHubTokenRow)
            .where(*_token_of(member))
            .values(**sealed, refresh_lease_until=None)
        )
        await self._db.run(lambda session: session.exec(statement))

    async def release_refresh(self, *, member: Member) -> None:
        statement = (
            update(GitHubTokenRow).where(*_token_of(member)).values(refresh_lease_until=None)
        )
        await self._db.run(lambda session: session.exec(statement))

    def _sealed(self, tokens: Tokens, now: datetime) -> dict[str, Any]:
        fernet = self._require_key()
        return {
            "access_token": fernet.encrypt(tokens.access.encode()).decode(),
            "refresh_token": fernet.encrypt(tokens.refresh.encode()).decode()
            if tokens.refresh
            else "",
            "expires_at": tokens.expires_at,
            "refresh_expires_at": tokens.refresh_expires_at,
            "updated_at": now,
        }

    def _opened(self, row: GitHubTokenRow) -> Tokens | None:
        """None when the key changed since the token was sealed: the person signs in again."""
        fernet = self._require_key()
        try:
            access = fernet.decrypt(row.access_token.encode()).decode()
            refresh = (
                fernet.decrypt(row.refresh_token.encode()).decode() if row.refresh_token else ""
            )
        except InvalidToken:
            return None
        return Tokens(access, refresh, row.expires_at, row.refresh_expires_at)

    def _require_key(self) -> Fernet:
        if self._fernet is None:
            raise SecretKeyError("DSLP_SECRET_KEY is not set: user tokens cannot be stored")
        return self._fernet


def _key(member: Member) -> dict[str, str]:
    """A link's and a token's primary key."""
    return {"scope": member.scope, "member": member.key}


def _token_of(member: Member) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (col(GitHubTokenRow.scope) == member.scope, col(GitHubTokenRow.member) == member.key)


def _pending(row: GitHubSignInRow) -> PendingSignIn:
    place = Place(row.platform, row.channel_id, row.team_id, org_id=row.org_id)
    return PendingSignIn(Member(row.scope, row.member), place, row.expires_at)
