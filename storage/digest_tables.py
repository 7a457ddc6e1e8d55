"""Tables of the daily digest: subscriptions, snoozes and one row per scheduled run.

The run row's UNIQUE (subscription, local date) is what makes a digest go
out once per day even with several replicas and restarts: whoever inserts
it sends. Schedules live here, not in APScheduler's job store, which would
keep pickled callables (anyone who can write the table could run code).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import text_field, utc_column


class DigestSubscriptionRow(SQLModel, table=True):
    """`key` is the channel's place key (bot.digest.model.place_key): it begins with its scope."""

    __tablename__ = "digest_subscriptions"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    scope: str
    platform: str
    team_id: str = ""
    channel_id: str
    hour: int
    minute: int
    timezone: str
    days: str
    thresholds: str = text_field("{}")
    post_empty: bool = True
    schedule_since: datetime | None = utc_column(nullable=True)
    kind: str = Field(default="digest", sa_column_kwargs={"server_default": "digest"})
    """What the schedule runs: `digest`, or `insights` (the weekly insights post)."""
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()


class DigestSnoozeRow(SQLModel, table=True):
    """`key` is the channel's place key, as in digest_subscriptions: it carries the scope.
    `repository` is the issue's; empty for snoozes from before it was kept (the default one)."""

    __tablename__ = "digest_snoozes"

    key: str = Field(primary_key=True)
    repository: str = Field(default="", primary_key=True)
    issue_number: int = Field(primary_key=True)
    snoozed_at: datetime = utc_column()
    until: datetime = utc_column(index=True)


class DigestRunRow(SQLModel, table=True):
    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("subscription_id", "run_date"),)

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("digest_subscriptions.id", ondelete="CASCADE"),
            nullable=False,
        )
    )
    run_date: str
    status: str
    attempts: int = 1
    detail: str = text_field()
    claimed_at: datetime = utc_column()
    finished_at: datetime | None = utc_column(nullable=True)
