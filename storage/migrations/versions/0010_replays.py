"""Replays: the inbox knows a webhook body by its digest, so a body replayed under a new id is one.

Revision ID: 0010_replays
Revises: 0009_phase_default
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_replays"
down_revision: str | None = "0009_phase_default"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("inbox", sa.Column("digest", sa.String(), nullable=True))
    op.create_index("uq_inbox_digest", "inbox", ["digest"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_inbox_digest", table_name="inbox")
    with op.batch_alter_table("inbox") as batch:
        batch.drop_column("digest")
