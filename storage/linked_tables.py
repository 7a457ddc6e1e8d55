"""The table of linked issues the bot opened (Data, Explore, Experiment, Model)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import text_field, utc_column


class LinkedIssueRow(SQLModel, table=True):
    __tablename__ = "linked_issues"
    __table_args__ = (
        UniqueConstraint("repository", "number"),
        Index("ix_linked_issues_repository_ask_number", "repository", "ask_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    repository: str
    number: int
    kind: str
    ask_number: int
    experiment_number: int | None = None
    title: str = text_field()
    branch: str = ""
    status: str = "open"
    draft_id: str = ""
    url: str = ""
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()
