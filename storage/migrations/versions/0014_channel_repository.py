"""A channel's home repository, chosen with `use owner/repo`, per scope and channel.

No existing row changes: a channel without one keeps what it had (its one
subscribed repository, else GITHUB_REPOSITORY).

Revision ID: 0014_channel_repository
Revises: 0013_identities
Create Date: 2025-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_channel_repository"
down_revision: str | None = "0013_identities"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_repositories",
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("channel_id", sa.String(), nullable=False),
        sa.Column("repository", sa.String(), nullable=False),
        sa.Column("set_by", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "channel_id", name=op.f("pk_channel_repositories")),
    )


def downgrade() -> None:
    op.drop_table("channel_repositories")
