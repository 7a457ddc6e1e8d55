"""Linked issues: the Data, Explore, Experiment and Model issues the bot opened.

Revision ID: 0003_linked
Revises: 0002_digest
Create Date: 2025-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_linked"
down_revision: str | None = "0002_digest"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "linked_issues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("repository", sa.String(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("ask_number", sa.Integer(), nullable=False),
        sa.Column("experiment_number", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("branch", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("draft_id", sa.String(), nullable=False),
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_linked_issues"),
        sa.UniqueConstraint("repository", "number", name="uq_linked_issues_repository_number"),
    )
    op.create_index(
        "ix_linked_issues_repository_ask_number", "linked_issues", ["repository", "ask_number"]
    )


def downgrade() -> None:
    op.drop_index("ix_linked_issues_repository_ask_number", table_name="linked_issues")
    op.drop_table("linked_issues")
