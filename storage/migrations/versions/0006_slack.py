"""Slack: Events API deliveries already taken in (de-duplicates Slack's retries).

Revision ID: 0006_slack
Revises: 0005_teams
Create Date: 2025-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_slack"
down_revision: str | None = "0005_teams"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_events",
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_slack_events"),
    )
    op.create_index("ix_slack_events_received_at", "slack_events", ["received_at"])


def downgrade() -> None:
    op.drop_table("slack_events")
