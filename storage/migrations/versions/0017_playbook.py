"""The playbook's settings per repository (`branches off`, a refusal told once, its Project),
and muted Asks.

A new table, and `filed_asks.muted` (false for every existing Ask: their requesters keep
hearing). A repository without a row has branches on.

Revision ID: 0017_playbook
Revises: 0016_insights
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_playbook"
down_revision: str | None = "0016_insights"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "playbook_repositories",
        sa.Column("repository", sa.String(), nullable=False),
        sa.Column("branches_off", sa.Boolean(), nullable=False),
        sa.Column("refusal_told", sa.Boolean(), nullable=False),
        sa.Column("project", sa.String(), nullable=False),
        sa.Column("set_by", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("repository", name=op.f("pk_playbook_repositories")),
    )
    with op.batch_alter_table("filed_asks") as batch:  # false for the rows there, then no default
        batch.add_column(
            sa.Column("muted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("filed_asks") as batch:
        batch.alter_column(
            "muted", existing_type=sa.Boolean(), existing_nullable=False, server_default=None
        )


def downgrade() -> None:
    with op.batch_alter_table("filed_asks") as batch:
        batch.drop_column("muted")
    op.drop_table("playbook_repositories")
