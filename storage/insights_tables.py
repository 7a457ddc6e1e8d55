"""The issue-event history the insights read: DSLP issues and their events, per repository.

An event's primary key is its repository and GitHub's event id (or the
webhook delivery), so a backfill run twice, or a webhook and a backfill
bringing the same event, store it once. Cursors say where a backfill stopped.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from storage.columns import utc_column


class InsightIssueRow(SQLModel, table=True):
    __tablename__ = "insight_issues"

    repository: str = Field(primary_key=True)
    number: int = Field(primary_key=True)
    title: str = ""
    kind: str = ""
    ask: int | None = None
    experiment: int | None = None
    created_at: datetime = utc_column()


class InsightEventRow(SQLModel, table=True):
    __tablename__ = "insight_events"
    __table_args__ = (Index("ix_insight_events_repository_at", "repository", "at"),)

    repository: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    number: int
    kind: str
    label: str = ""
    reason: str = ""
    at: datetime = utc_column()


class InsightCursorRow(SQLModel, table=True):
    """A backfill's progress: the next page to read, and whether it reached the end once."""

    __tablename__ = "insight_cursors"

    repository: str = Field(primary_key=True)
    page: int = 1
    complete: bool = False
    updated_at: datetime = utc_column()
