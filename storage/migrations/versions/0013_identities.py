"""Verified people: links say who verified them; sign-ins under way; sealed user tokens.

Every link made before this revision was a login typed by someone, which
proves nothing: they become unverified (`verified_by` empty) and stop routing
mentions and owners until the person signs in with GitHub (`link github`) or
an admin vouches for them. They keep the scope 0012 gave them, as do the
sign-ins and tokens made from now on: an identity belongs to one workspace,
Grid org or tenant.

Revision ID: 0013_identities
Revises: 0012_scopes
Create Date: 2025-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_identities"
down_revision: str | None = "0012_scopes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The server default only fills today's rows (as unverified); the model supplies the value.
    with op.batch_alter_table("github_links") as table:
        table.add_column(sa.Column("verified_by", sa.String(), nullable=False, server_default=""))
    with op.batch_alter_table("github_links") as table:
        table.alter_column(
            "verified_by", existing_type=sa.String(), existing_nullable=False, server_default=None
        )
    op.create_table(
        "github_sign_ins",
        sa.Column("state_hash", sa.String(), nullable=False),
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("member", sa.String(), nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("org_id", sa.String(), nullable=False),
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
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("member", sa.String(), nullable=False),
        sa.Column("access_token", sa.Text(), nullable=False),
        sa.Column("refresh_token", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refresh_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refresh_lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "member", name=op.f("pk_github_tokens")),
    )


def downgrade() -> None:
    op.drop_table("github_tokens")
    op.drop_index(op.f("ix_github_sign_ins_expires_at"), table_name="github_sign_ins")
    op.drop_table("github_sign_ins")
    with op.batch_alter_table("github_links") as table:
        table.drop_column("verified_by")
