"""Notifications carry whole replies (filing results) and remember an unfinished claim.

`replies` holds the serialised replies of background work (empty: a plain
notice in `text`); `claimed_at` is when the row was last handed to a sender
and stays set only while that send's outcome is unknown; `sent_ref` is the
platform's id for the sent message (Slack ts, Teams activity id).

Revision ID: 0008_reliable_outbox
Revises: 0007_inbox
Create Date: 2025-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_reliable_outbox"
down_revision: str | None = "0007_inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as table:
        table.add_column(sa.Column("replies", sa.Text(), nullable=False, server_default=""))
        table.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("sent_ref", sa.String(), nullable=False, server_default=""))
    # The defaults only fill the rows that exist; the models always supply the values.
    with op.batch_alter_table("notifications") as table:
        table.alter_column("replies", server_default=None)
        table.alter_column("sent_ref", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("notifications") as table:
        table.drop_column("sent_ref")
        table.drop_column("claimed_at")
        table.drop_column("replies")
