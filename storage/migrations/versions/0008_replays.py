"""Replays: the inbox knows a webhook body by its digest, so a body replayed under a new id is one.

Revision ID: 0008_replays
Revises: 0007_inbox
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_replays"
down_revision: str | None = "0007_inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("inbox", sa.Column("digest", sa.String(), nullable=True))
    op.create_index("uq_inbox_digest", "inbox", ["digest"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_inbox_digest", table_name="inbox")
    with op.batch_alter_table("inbox") as batch:
        batch.drop_column("digest")
