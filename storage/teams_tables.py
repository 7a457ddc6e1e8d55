"""The Teams adapter's table: where each Teams conversation can be reached later.

A Teams bot cannot start talking in a chat or channel on its own; it needs
the conversation reference (service URL, conversation, bot) from an earlier
activity. One row per conversation, refreshed on every activity.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from storage.columns import text_field, utc_column


class TeamsReferenceRow(SQLModel, table=True):
    __tablename__ = "teams_references"
    __table_args__ = (Index("ix_teams_references_tenant_user", "tenant_id", "user_id"),)

    conversation_id: str = Field(primary_key=True)
    conversation_type: str = ""
    tenant_id: str = ""
    user_id: str = ""
    user_name: str = ""
    service_url: str
    bot_id: str = ""
    reference: str = text_field("{}")
    greeted: bool = False
    updated_at: datetime = utc_column()
