"""Slack installations in our database: slack_sdk's SQLAlchemy stores, worked off the loop.

slack_sdk's `SQLAlchemyInstallationStore` and `SQLAlchemyOAuthStateStore` are
synchronous; Bolt wants the async interfaces. Each call runs in a worker thread
on our own engine, as every other repository's work does. The refresh lease
(one replica refreshes a rotating token, the others wait) mirrors the GitHub
user tokens' (`storage/identities.py`): a row claimed until a time, by an
UPDATE only one replica can win.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from logging import Logger, getLogger

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from storage.database import Database
from storage.slack_install_tables import BOTS, INSTALLATIONS, OAUTH_STATES, SlackTokenLeaseRow
from storage.values import utc_now

STATE_SECONDS = 600
"""How long an install link's state is good for: ten minutes to click through Slack."""
log = getLogger(__name__)


class SqlSlackInstallations(AsyncInstallationStore):
    def __init__(self, db: Database, *, client_id: str) -> None:
        self._db = db
        self._store = SQLAlchemyInstallationStore(
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
        await asyncio.to_thread(self._store.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self._store.save_bot, bot)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        return await asyncio.to_thread(
            self._store.find_bot,
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return await asyncio.to_thread(
            self._store.find_installation,
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )

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
