"""A digest snooze names the repository of the issue it hides: a channel following several
repositories has an issue #4 in each.

Rows from before keep an empty repository, which means the default repository
(GITHUB_REPOSITORY), the only one a digest showed then.

Revision ID: 0018_snooze_repository
Revises: 0017_playbook
Create Date: 2025-12-09
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_snooze_repository"
down_revision: str | None = "0017_playbook"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEPT = ("key", "issue_number", "snoozed_at", "until")


def _table(name: str, keys: Sequence[str]) -> None:
    columns: list[sa.schema.SchemaItem] = [
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("issue_number", sa.Integer(), nullable=False),
        sa.Column("snoozed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
    ]
    if "repository" in keys:
        columns.insert(1, sa.Column("repository", sa.String(), nullable=False))
    op.create_table(name, *columns, sa.PrimaryKeyConstraint(*keys, name=f"pk_{name}"))


def _rebuild(keys: Sequence[str]) -> None:
    """A new primary key, the same way on SQLite and PostgreSQL: copy into a new table."""
    _table("digest_snoozes_next", keys)
    kept = ", ".join(KEPT)
    into, values = (f"repository, {kept}", f"'', {kept}") if "repository" in keys else (kept, kept)
    op.execute(f"INSERT INTO digest_snoozes_next ({into}) SELECT {values} FROM digest_snoozes")
    op.drop_index("ix_digest_snoozes_until", table_name="digest_snoozes")
    op.drop_table("digest_snoozes")
    op.rename_table("digest_snoozes_next", "digest_snoozes")
    if op.get_bind().dialect.name == "postgresql":  # there a constraint is named per schema
        op.execute(
            "ALTER TABLE digest_snoozes "
            "RENAME CONSTRAINT pk_digest_snoozes_next TO pk_digest_snoozes"
        )
    op.create_index("ix_digest_snoozes_until", "digest_snoozes", ["until"])


def upgrade() -> None:
    _rebuild(("key", "repository", "issue_number"))


def downgrade() -> None:
    """Back to one snooze per channel and number: of several repositories' #N, one stays."""
    op.execute(
        "DELETE FROM digest_snoozes WHERE repository <> '' AND EXISTS (SELECT 1 FROM "
        "digest_snoozes AS other WHERE other.key = digest_snoozes.key AND other.issue_number = "
        "digest_snoozes.issue_number AND other.repository < digest_snoozes.repository)"
    )
    _rebuild(("key", "issue_number"))
