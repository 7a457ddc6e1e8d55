"""Installation tokens shared by the replicas, sealed with DSLP_SECRET_KEY, with a lease so
that one replica at a time asks GitHub for a new one.

New table only; without DSLP_SECRET_KEY it stays empty and each replica keeps its own.

Revision ID: 0019_installation_tokens
Revises: 0018_snooze_repository
Create Date: 2025-12-09
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_installation_tokens"
down_revision: str | None = "0018_snooze_repository"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "github_installation_tokens",
        sa.Column("installation_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("installation_id", name=op.f("pk_github_installation_tokens")),
    )


def downgrade() -> None:
    op.drop_table("github_installation_tokens")
