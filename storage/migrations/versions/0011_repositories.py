"""The GitHub App's installations and the repositories they grant (the repository registry).

Revision ID: 0011_repositories
Revises: 0010_replays
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_repositories"
down_revision: str | None = "0010_replays"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "github_installations",
        sa.Column("installation_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account", sa.String(), nullable=False),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("installation_id", name="pk_github_installations"),
    )
    op.create_table(
        "served_repositories",
        sa.Column("repository", sa.String(), nullable=False),
        sa.Column("full_name", sa.String(), nullable=False),
        sa.Column("installation_id", sa.BigInteger(), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("repository", name="pk_served_repositories"),
    )
    op.create_index(
        "ix_served_repositories_installation_id", "served_repositories", ["installation_id"]
    )


def downgrade() -> None:
    op.drop_table("served_repositories")
    op.drop_table("github_installations")
