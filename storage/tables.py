"""The core's tables: drafts, filed Asks and the local tracker's issues.

Only `storage/` imports these; the core sees bot.types. Mappings, lists and
sets are kept as JSON text so both SQLite and PostgreSQL store them the same
way. Each feature's tables are in `<feature>_tables.py`; `schema.py` gathers all.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import text_field, utc_column


class DraftRow(SQLModel, table=True):
    __tablename__ = "drafts"
    __table_args__ = (Index("ix_drafts_owner_flow", "owner", "flow"),)

    id: str = Field(primary_key=True)
    flow: str
    owner: str
    owner_name: str = ""
    scope: str
    """The origin's scope key (bot.types.Scope), which also restores its Grid org id."""
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
    scope: str
    """The origin's scope key: `status #N` shows the Ask only there (and to its requester)."""
    platform: str
    team_id: str = ""
    channel_id: str
    thread_id: str = ""
    draft_id: str
    created_at: datetime = utc_column()
    phase: str = "Ask"
    muted: bool = False


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
