"""The database tables. Only `storage/` imports these; the core sees bot.types.

Mappings, lists and sets are kept as JSON text so both SQLite and PostgreSQL
store them the same way. Every timestamp goes through `UtcDateTime`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

# Stable constraint names, so future migrations can refer to them by name.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Stores UTC and always returns aware UTC datetimes.

    SQLite keeps no zone and PostgreSQL answers in the session's zone; this
    makes both give back the same value, so comparisons and tests never mix
    naive and aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: storage only accepts aware datetimes")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_column(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=Column(UtcDateTime(), nullable=nullable, index=index))


def text_field(default: str = "") -> Any:
    """Unbounded text (answers may be long) with a server-independent default."""
    return Field(default=default, sa_type=Text, nullable=False)


class DraftRow(SQLModel, table=True):
    __tablename__ = "drafts"
    __table_args__ = (Index("ix_drafts_owner_flow", "owner", "flow"),)

    id: str = Field(primary_key=True)
    flow: str
    owner: str
    owner_name: str = ""
    platform: str
    team_id: str = ""
    channel_id: str
    thread_id: str = ""
    answers: str = text_field("{}")
    skipped: str = text_field("[]")
    trail: str = text_field("[]")
    context: str = text_field("{}")
    cursor: str = ""
    stage: str = Field(index=True)
    awaiting_resume: bool = False
    issue_number: int | None = None
    issue_url: str = ""
    last_error: str = text_field()
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()
    lease_until: datetime | None = utc_column(nullable=True)


class FiledAskRow(SQLModel, table=True):
    __tablename__ = "filed_asks"
    __table_args__ = (UniqueConstraint("repository", "issue_number"),)

    id: int | None = Field(default=None, primary_key=True)
    repository: str
    issue_number: int
    issue_url: str
    title: str = text_field()
    requester: str = Field(index=True)
    requester_name: str = ""
    platform: str
    team_id: str = ""
    channel_id: str
    thread_id: str = ""
    draft_id: str
    created_at: datetime = utc_column()
    phase: str = "Ask"


class LocalIssueRow(SQLModel, table=True):
    __tablename__ = "local_issues"

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    title: str = text_field()
    body: str = text_field()
    state: str = "open"
    labels: str = text_field("[]")
    author: str = ""
    assignees: str = text_field("[]")
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()
    closed_at: datetime | None = utc_column(nullable=True)


class LocalCommentRow(SQLModel, table=True):
    __tablename__ = "local_comments"

    id: int | None = Field(default=None, primary_key=True)
    issue_number: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("local_issues.number", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    author: str = ""
    body: str = text_field()
    created_at: datetime = utc_column()


class LocalLabelRow(SQLModel, table=True):
    """Labels the local tracker has seen, keyed case-insensitively like GitHub's."""

    __tablename__ = "local_labels"

    key: str = Field(primary_key=True)
    name: str
    color: str = ""
    description: str = text_field()


# Feature tables live in their own modules; importing them registers them on the metadata.
from storage import (  # noqa: E402
    digest_tables,
    inbox_tables,
    lifecycle_tables,
    linked_tables,
    slack_tables,
    teams_tables,
)

FEATURE_TABLES = (
    digest_tables,
    inbox_tables,
    lifecycle_tables,
    linked_tables,
    slack_tables,
    teams_tables,
)
