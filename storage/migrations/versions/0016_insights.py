"""The issue-event history for lifecycle insights (`stats`, `report`, `backfill`).

New tables, filled by `dslp-bot backfill`, the background backfill and webhooks; and a
`kind` for digest subscriptions (every existing row is a `digest`), so the weekly insights
post runs on the digest's schedules and runs.

Revision ID: 0016_insights
Revises: 0015_slack_installs
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_insights"
down_revision: str | None = "0015_slack_installs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("digest_subscriptions") as table:
        table.add_column(sa.Column("kind", sa.String(), nullable=False, server_default="digest"))
    op.create_table(
        "insight_issues",
        sa.Column("repository", sa.String(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("ask", sa.Integer(), nullable=True),
        sa.Column("experiment", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("repository", "number", name=op.f("pk_insight_issues")),
    )
    op.create_table(
        "insight_events",
        sa.Column("repository", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("repository", "key", name=op.f("pk_insight_events")),
    )
    op.create_index("ix_insight_events_repository_at", "insight_events", ["repository", "at"])
    op.create_table(
        "insight_cursors",
        sa.Column("repository", sa.String(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("repository", name=op.f("pk_insight_cursors")),
    )


def downgrade() -> None:
    op.drop_table("insight_cursors")
    op.drop_index("ix_insight_events_repository_at", table_name="insight_events")
    op.drop_table("insight_events")
    op.drop_table("insight_issues")
    with op.batch_alter_table("digest_subscriptions") as table:
        table.drop_column("kind")
