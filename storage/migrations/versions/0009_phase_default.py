"""filed_asks.phase loses the server default 0004 gave it, so the schema matches the model.

The default only existed to fill the column for rows filed before 0004; the
model supplies the phase on every insert, as it does for every other column
(no table keeps defaults in the server).

Revision ID: 0009_phase_default
Revises: 0008_reliable_outbox
Create Date: 2025-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_phase_default"
down_revision: str | None = "0008_reliable_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("filed_asks") as batch:
        batch.alter_column(
            "phase", existing_type=sa.String(), existing_nullable=False, server_default=None
        )


def downgrade() -> None:
    with op.batch_alter_table("filed_asks") as batch:
        batch.alter_column(
            "phase", existing_type=sa.String(), existing_nullable=False, server_default="Ask"
        )
