"""Slack installations in our database: slack_sdk's SQLAlchemy stores, worked off the loop.

slack_sdk's `SQLAlchemyInstallationStore` and `SQLAlchemyOAuthStateStore` are
synchronous; Bolt wants the async interfaces. Each call runs in a worker thread
on our own engine, as every other repository's work does. The refresh lease
(one replica refreshes a rotating token, the others wait) mirrors the GitHub
user tokens' (`storage/identities.py`): a row claimed until a time, by an
UPDATE only one replica can win.

Every credential (bot and user tokens, their refresh tokens, an incoming webhook's
URL) is sealed with Fernet under DSLP_SECRET_KEY before slack_sdk's store writes
it, and opened after it reads it, as the GitHub user tokens are: a dump or backup of
the database holds no usable Slack token. A row sealed under another key reads as
not installed, so the workspace installs again.
"""

from __future__ import annotations

import asyncio
from copy import copy
from datetime import timedelta
from logging import Logger, getLogger
from typing import TypeVar

from cryptography.fernet import InvalidToken
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from storage.database import Database
from storage.identities import sealer
from storage.slack_install_tables import (
    BOTS,
    INSTALLATIONS,
    OAUTH_STATES,
    SEALED,
    SlackInstallationStore,
    SlackTokenLeaseRow,
)
from storage.values import utc_now

STATE_SECONDS = 600
"""How long an install link's state is good for: ten minutes to click through Slack."""
log = getLogger(__name__)
Found = TypeVar("Found", Bot, Installation)


class SqlSlackInstallations(AsyncInstallationStore):
    def __init__(self, db: Database, *, client_id: str, secret_key: str) -> None:
        """SecretKeyError unless `secret_key` is a Fernet key: no token is kept in clear."""
        self._db = db
        self._fernet = sealer(secret_key)
        self._store = SlackInstallationStore(
            client_id=client_id,
            engine=db.engine,
            bots_table_name=BOTS,
            installations_table_name=INSTALLATIONS,
            logger=log,
        )

    @property
    def logger(self) -> Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self._store.save, self._sealed(installation))

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self._store.save_bot, self._sealed(bot))

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        bot = await asyncio.to_thread(
            self._store.find_bot,
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return self._opened(bot) if bot is not None else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        installation = await asyncio.to_thread(
            self._store.find_installation,
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        return self._opened(installation) if installation is not None else None

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(
            self._store.delete_bot, enterprise_id=enterprise_id, team_id=team_id
        )

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await asyncio.to_thread(
            self._store.delete_installation,
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
        )

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(
            self._store.delete_all, enterprise_id=enterprise_id, team_id=team_id
        )
        await self.release_refresh(installation=installation_key(enterprise_id, team_id))

    def _sealed(self, found: Found) -> Found:
        """A copy to write: the caller's object keeps its clear tokens."""
        sealed = copy(found)
        for name in SEALED:
            value = getattr(found, name, None)
            if value:
                setattr(sealed, name, self._fernet.encrypt(value.encode()).decode())
        return sealed

    def _opened(self, found: Found) -> Found | None:
        """None when a credential does not open (sealed under another key): not installed."""
        try:
            for name in SEALED:
                value = getattr(found, name, None)
                if value:
                    setattr(found, name, self._fernet.decrypt(value.encode()).decode())
        except InvalidToken:
            log.warning(
                "slack: the tokens of %s do not open with DSLP_SECRET_KEY; it must install again",
                installation_key(found.enterprise_id, found.team_id),
            )
            return None
        return found

    # --- the refresh lease --------------------------------------------------------

    async def claim_refresh(self, *, installation: str, seconds: float) -> bool:
        """True for the one caller that may refresh this installation's token now."""
        now = utc_now()
        lease = col(SlackTokenLeaseRow.lease_until)
        statement = (
            update(SlackTokenLeaseRow)
            .where(col(SlackTokenLeaseRow.installation) == installation)
            .where(or_(lease.is_(None), lease < now))
            .values(lease_until=now + timedelta(seconds=seconds))
        )

        def work(session: Session) -> bool:
            if session.exec(statement).rowcount == 1:
                return True
            if session.get(SlackTokenLeaseRow, installation) is not None:
                return False
            session.add(
                SlackTokenLeaseRow(
                    installation=installation, lease_until=now + timedelta(seconds=seconds)
                )
            )
            return True

        try:
            return await self._db.run(work)
        except IntegrityError:  # another replica made the row first: its lease
            return False

    async def release_refresh(self, *, installation: str) -> None:
        statement = (
            update(SlackTokenLeaseRow)
            .where(col(SlackTokenLeaseRow.installation) == installation)
            .values(lease_until=None)
        )
        await self._db.run(lambda session: session.exec(statement))


class SqlSlackOAuthStates(AsyncOAuthStateStore):
    """One-time states for install links, kept in our database so any replica takes the
    callback of a link another replica handed out."""

    def __init__(self, db: Database, *, seconds: int = STATE_SECONDS) -> None:
        self._store = SQLAlchemyOAuthStateStore(
            expiration_seconds=seconds, engine=db.engine, table_name=OAUTH_STATES, logger=log
        )

    @property
    def logger(self) -> Logger:
        return log

    async def async_issue(self, *args: object, **kwargs: object) -> str:
        return await asyncio.to_thread(self._store.issue)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self._store.consume, state)


def installation_key(enterprise_id: str | None, team_id: str | None) -> str:
    """An org-wide install is its org (`E1`); a workspace is `T1`, or `E1:T1` inside a Grid."""
    return ":".join(part for part in (enterprise_id, team_id) if part)
