"""Teams conversation references in SQL, so proactive messages survive restarts.

The reference itself is the Bot Framework JSON the SDK produced; the columns
beside it are what we look it up by (conversation, or tenant + user for a
personal chat) and whether the install greeting went out already.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select, update

from storage.database import Database, insert_into
from storage.teams_tables import TeamsReferenceRow
from storage.values import from_json, to_json, utc_now

PERSONAL = "personal"


@dataclass(frozen=True)
class TeamsReference:
    conversation_id: str
    service_url: str
    reference: Mapping[str, Any] = field(default_factory=dict)
    conversation_type: str = ""
    tenant_id: str = ""
    user_id: str = ""
    user_name: str = ""
    bot_id: str = ""
    greeted: bool = False
    updated_at: datetime | None = None


class SqlTeamsReferences:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def save(self, *, ref: TeamsReference) -> TeamsReference:
        """Upsert by conversation; `greeted` is left as it was (only `mark_greeted` sets it)."""
        values = _columns(ref)

        def work(session: Session) -> TeamsReference:
            fresh = {key: value for key, value in values.items() if key != "greeted"}
            statement = insert_into(session, TeamsReferenceRow).values(**values)
            session.exec(
                statement.on_conflict_do_update(index_elements=["conversation_id"], set_=fresh)
            )
            return _reference(session.get_one(TeamsReferenceRow, ref.conversation_id))

        return await self._db.run(work)

    async def by_conversation(self, *, conversation_id: str) -> TeamsReference | None:
        def work(session: Session) -> TeamsReference | None:
            row = session.get(TeamsReferenceRow, conversation_id)
            return None if row is None else _reference(row)

        return await self._db.run(work)

    async def personal(self, *, tenant_id: str, user_id: str) -> TeamsReference | None:
        """The newest personal chat between the bot and that user."""
        query = (
            select(TeamsReferenceRow)
            .where(
                col(TeamsReferenceRow.tenant_id) == tenant_id,
                col(TeamsReferenceRow.user_id) == user_id,
                col(TeamsReferenceRow.conversation_type) == PERSONAL,
            )
            .order_by(col(TeamsReferenceRow.updated_at).desc())
            .limit(1)
        )

        def work(session: Session) -> TeamsReference | None:
            row = session.exec(query).first()
            return None if row is None else _reference(row)

        return await self._db.run(work)

    async def mark_greeted(self, *, conversation_id: str, greeted: bool = True) -> bool:
        """Whether this call changed the flag: the one caller that did sends the greeting.

        Teams sends conversationUpdate and installationUpdate together on
        install; the conditional UPDATE lets only one of them greet.
        """
        statement = (
            update(TeamsReferenceRow)
            .where(
                col(TeamsReferenceRow.conversation_id) == conversation_id,
                col(TeamsReferenceRow.greeted) == (not greeted),
            )
            .values(greeted=greeted)
        )
        return await self._db.run(lambda session: session.exec(statement).rowcount == 1)

    async def names(self, *, tenant_id: str, user_ids: list[str]) -> dict[str, str]:
        """Display names of users we have a personal chat with (for mentions)."""
        if not user_ids:
            return {}
        query = select(TeamsReferenceRow.user_id, TeamsReferenceRow.user_name).where(
            col(TeamsReferenceRow.tenant_id) == tenant_id,
            col(TeamsReferenceRow.user_id).in_(user_ids),
        )
        rows = await self._db.run(lambda session: list(session.exec(query)))
        return {user_id: name for user_id, name in rows if name}


def _columns(ref: TeamsReference) -> dict[str, object]:
    return {
        "conversation_id": ref.conversation_id,
        "conversation_type": ref.conversation_type,
        "tenant_id": ref.tenant_id,
        "user_id": ref.user_id,
        "user_name": ref.user_name,
        "service_url": ref.service_url,
        "bot_id": ref.bot_id,
        "reference": to_json(dict(ref.reference)),
        "greeted": ref.greeted,
        "updated_at": utc_now(),
    }


def _reference(row: TeamsReferenceRow) -> TeamsReference:
    return TeamsReference(
        conversation_id=row.conversation_id,
        service_url=row.service_url,
        reference=from_json(row.reference),
        conversation_type=row.conversation_type,
        tenant_id=row.tenant_id,
        user_id=row.user_id,
        user_name=row.user_name,
        bot_id=row.bot_id,
        greeted=row.greeted,
        updated_at=row.updated_at,
    )
