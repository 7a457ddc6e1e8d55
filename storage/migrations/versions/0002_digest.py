"""Digest subscriptions, snoozes and runs (one row per subscription and scheduled day).

Revision ID: 0002_digest
Revises: 0001
Create Date: 2025-11-26
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002_digest"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _string(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.String(), nullable=False)


def _time(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "digest_subscriptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _string("key"),
        _string("platform"),
        _string("team_id"),
        _string("channel_id"),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("minute", sa.Integer(), nullable=False),
        _string("timezone"),
        _string("days"),
        sa.Column("thresholds", sa.Text(), nullable=False),
        sa.Column("post_empty", sa.Boolean(), nullable=False),
        _time("schedule_since", nullable=True),
        _time("created_at"),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_digest_subscriptions"),
        sa.UniqueConstraint("key", name="uq_digest_subscriptions_key"),
    )
    op.create_table(
        "digest_snoozes",
        _string("key"),
        sa.Column("issue_number", sa.Integer(), nullable=False),
        _time("snoozed_at"),
        _time("until"),
        sa.PrimaryKeyConstraint("key", "issue_number", name="pk_digest_snoozes"),
    )
    op.create_index("ix_digest_snoozes_until", "digest_snoozes", ["until"])
    op.create_table(
        "digest_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        _string("run_date"),
        _string("status"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        _time("claimed_at"),
        _time("finished_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_digest_runs"),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["digest_subscriptions.id"],
            name="fk_digest_runs_subscription_id_digest_subscriptions",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "subscription_id", "run_date", name="uq_digest_runs_subscription_id_run_date"
        ),
    )


def downgrade() -> None:
    for table in ("digest_runs", "digest_snoozes", "digest_subscriptions"):
        op.drop_table(table)
