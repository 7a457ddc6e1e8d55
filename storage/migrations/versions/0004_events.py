"""Lifecycle: tracker events, the notification outbox, roles, GitHub links, subscriptions,
the poller's cursors, and the phase of each filed Ask.

Revision ID: 0004_events
Revises: 0003_linked
Create Date: 2025-11-26
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004_events"
down_revision: str | None = "0003_linked"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id(_table: str) -> list[Any]:
    return [sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)]


def _text(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.Text(), nullable=False)


def _string(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.String(), nullable=False)


def _int(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _time(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("filed_asks") as batch:
        batch.add_column(sa.Column("phase", sa.String(), nullable=False, server_default="Ask"))
    _tracker_events()
    _notifications()
    _people()
    op.create_table(
        "poll_cursors",
        _string("key"),
        _string("etag"),
        _int("position"),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("key", name="pk_poll_cursors"),
    )


def _tracker_events() -> None:
    op.create_table(
        "tracker_events",
        *_id("tracker_events"),
        _string("delivery"),
        _string("kind"),
        _string("repository"),
        _int("number"),
        _string("issue_type"),
        _int("ask_number", nullable=True),
        _string("label"),
        _string("actor"),
        _text("title"),
        _string("url"),
        _string("author"),
        sa.Column("is_pull_request", sa.Boolean(), nullable=False),
        _string("head_branch"),
        _time("received_at"),
        sa.PrimaryKeyConstraint("id", name="pk_tracker_events"),
        sa.UniqueConstraint("delivery", name="uq_tracker_events_delivery"),
    )
    op.create_index(
        "ix_tracker_events_repository_number", "tracker_events", ["repository", "number"]
    )


def _notifications() -> None:
    op.create_table(
        "notifications",
        *_id("notifications"),
        _string("dedupe_key"),
        _string("delivery"),
        _string("rule"),
        _string("repository"),
        _int("ask_number", nullable=True),
        _string("platform"),
        _string("team_id"),
        _string("channel_id"),
        _string("thread_id"),
        _text("text"),
        _text("choices"),
        _string("status"),
        _int("attempts"),
        _text("last_error"),
        _time("created_at"),
        _time("next_attempt_at"),
        _time("lease_until", nullable=True),
        _time("sent_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.UniqueConstraint("dedupe_key", name="uq_notifications_dedupe_key"),
    )
    op.create_index("ix_notifications_status_due", "notifications", ["status", "next_attempt_at"])
    op.create_index(
        "ix_notifications_repository_ask", "notifications", ["repository", "ask_number"]
    )


def _people() -> None:
    op.create_table(
        "roles",
        *_id("roles"),
        _string("repository"),
        _string("role"),
        _string("member"),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_roles"),
        sa.UniqueConstraint("repository", "role", "member", name="uq_roles_repository_role_member"),
    )
    op.create_table(
        "github_links",
        _string("member"),
        _string("login"),
        _time("created_at"),
        sa.PrimaryKeyConstraint("member", name="pk_github_links"),
    )
    op.create_index("ix_github_links_login", "github_links", ["login"])
    op.create_table(
        "subscriptions",
        *_id("subscriptions"),
        _string("repository"),
        _string("platform"),
        _string("team_id"),
        _string("channel_id"),
        _string("created_by"),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
        sa.UniqueConstraint(
            "repository",
            "platform",
            "team_id",
            "channel_id",
            name="uq_subscriptions_repository_platform_team_id_channel_id",
        ),
    )
    op.create_index("ix_subscriptions_repository", "subscriptions", ["repository"])


def downgrade() -> None:
    for table in (
        "poll_cursors",
        "subscriptions",
        "github_links",
        "roles",
        "notifications",
        "tracker_events",
    ):
        op.drop_table(table)
    with op.batch_alter_table("filed_asks") as batch:
        batch.drop_column("phase")
