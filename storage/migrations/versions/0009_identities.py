"""Verified people: links say who verified them; sign-ins under way; sealed user tokens.

Every link made before this revision was a login typed by someone, which
proves nothing: they become unverified (`verified_by` empty) and stop routing
mentions and owners until the person signs in with GitHub (`link github`) or
an admin vouches for them.

Revision ID: 0009_identities
Revises: 0008_reliable_outbox
Create Date: 2025-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_identities"
down_revision: str | None = "0008_reliable_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("github_links") as table:
        table.add_column(sa.Column("verified_by", sa.String(), nullable=False, server_default=""))
    op.create_table(
        "github_sign_ins",
        sa.Column("state_hash", sa.String(), nullable=False),
        sa.Column("member", sa.String(), nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("channel_id", sa.String(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("state_hash", name=op.f("pk_github_sign_ins")),
    )
    op.create_index(
        op.f("ix_github_sign_ins_expires_at"), "github_sign_ins", ["expires_at"], unique=False
    )
    op.create_table(
        "github_tokens",
        sa.Column("member", sa.String(), nullable=False),
        sa.Column("access_token", sa.Text(), nullable=False),
        sa.Column("refresh_token", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refresh_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refresh_lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("member", name=op.f("pk_github_tokens")),
    )


def downgrade() -> None:
    op.drop_table("github_tokens")
    op.drop_index(op.f("ix_github_sign_ins_expires_at"), table_name="github_sign_ins")
    op.drop_table("github_sign_ins")
    with op.batch_alter_table("github_links") as table:
        table.drop_column("verified_by")
