"""Initial schema: drafts, filed Asks and the local tracker.

Revision ID: 0001
Revises:
Create Date: 2025-11-26
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.Text(), nullable=False)


def _string(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _time(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _place() -> list[sa.Column[Any]]:
    return [_string("platform"), _string("team_id"), _string("channel_id"), _string("thread_id")]


def upgrade() -> None:
    op.create_table(
        "drafts",
        _string("id"),
        _string("flow"),
        _string("owner"),
        _string("owner_name"),
        *_place(),
        _text("answers"),
        _text("skipped"),
        _text("trail"),
        _text("context"),
        _string("cursor"),
        _string("stage"),
        sa.Column("awaiting_resume", sa.Boolean(), nullable=False),
        sa.Column("issue_number", sa.Integer(), nullable=True),
        _string("issue_url"),
        _text("last_error"),
        _time("created_at"),
        _time("updated_at"),
        _time("lease_until", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_drafts"),
    )
    op.create_index("ix_drafts_owner_flow", "drafts", ["owner", "flow"])
    op.create_index("ix_drafts_stage", "drafts", ["stage"])

    op.create_table(
        "filed_asks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _string("repository"),
        sa.Column("issue_number", sa.Integer(), nullable=False),
        _string("issue_url"),
        _text("title"),
        _string("requester"),
        _string("requester_name"),
        *_place(),
        _string("draft_id"),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_filed_asks"),
        sa.UniqueConstraint(
            "repository", "issue_number", name="uq_filed_asks_repository_issue_number"
        ),
    )
    op.create_index("ix_filed_asks_requester", "filed_asks", ["requester"])

    op.create_table(
        "local_issues",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        _text("title"),
        _text("body"),
        _string("state"),
        _text("labels"),
        _string("author"),
        _text("assignees"),
        _time("created_at"),
        _time("updated_at"),
        _time("closed_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_local_issues"),
        sa.UniqueConstraint("number", name="uq_local_issues_number"),
    )

    op.create_table(
        "local_comments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("issue_number", sa.Integer(), nullable=False),
        _string("author"),
        _text("body"),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_local_comments"),
        sa.ForeignKeyConstraint(
            ["issue_number"],
            ["local_issues.number"],
            name="fk_local_comments_issue_number_local_issues",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_local_comments_issue_number", "local_comments", ["issue_number"])

    op.create_table(
        "local_labels",
        _string("key"),
        _string("name"),
        _string("color"),
        _text("description"),
        sa.PrimaryKeyConstraint("key", name="pk_local_labels"),
    )


def downgrade() -> None:
    for table in ("local_labels", "local_comments", "local_issues", "filed_asks", "drafts"):
        op.drop_table(table)
