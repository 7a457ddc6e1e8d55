"""Tables of the lifecycle: tracker events, the notification outbox, and who is who.

A notification row is durable work: written in the transaction that records
its event, leased by one worker at a time, and marked sent (or failed for
good) afterwards. Its `dedupe_key` is unique, so the same notice can never
be queued twice for one place, whichever path reported the event.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import text_field, utc_column

PENDING = "pending"
SENT = "sent"
FAILED = "failed"


class TrackerEventRow(SQLModel, table=True):
    """One event, normalised; `delivery` is GitHub's delivery id or the poller's event key."""

    __tablename__ = "tracker_events"
    __table_args__ = (Index("ix_tracker_events_repository_number", "repository", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    delivery: str = Field(unique=True)
    kind: str
    repository: str
    number: int
    issue_type: str = ""
    ask_number: int | None = None
    label: str = ""
    actor: str = ""
    title: str = text_field()
    url: str = ""
    author: str = ""
    is_pull_request: bool = False
    head_branch: str = ""
    received_at: datetime = utc_column()


class NotificationRow(SQLModel, table=True):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_status_due", "status", "next_attempt_at"),
        Index("ix_notifications_repository_ask", "repository", "ask_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(unique=True)
    delivery: str
    rule: str
    repository: str
    ask_number: int | None = None
    platform: str
    team_id: str = ""
    channel_id: str
    thread_id: str = ""
    text: str = text_field()
    choices: str = text_field("[]")
    status: str = PENDING
    attempts: int = 0
    last_error: str = text_field()
    created_at: datetime = utc_column()
    next_attempt_at: datetime = utc_column()
    lease_until: datetime | None = utc_column(nullable=True)
    sent_at: datetime | None = utc_column(nullable=True)
    replies: str = text_field()
    """Serialised replies of background work (a filing result); empty: `text` is the notice."""
    claimed_at: datetime | None = utc_column(nullable=True)
    """When a sender last took the row; still set at the next claim: that send may have posted."""
    sent_ref: str = ""
    """The platform's id of the sent message (Slack `ts`, Teams activity id)."""


class RoleRow(SQLModel, table=True):
    """A role in one repository and one scope (workspace, Grid org, tenant): bot.types.Scope."""

    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("scope", "repository", "role", "member"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str
    repository: str
    role: str
    member: str
    created_at: datetime = utc_column()


class GitHubLinkRow(SQLModel, table=True):
    """A chat member's GitHub login in one scope; `login` is kept casefolded (GitHub ignores case).

    Logins become mentions only within the scope they were linked in, and only
    when verified: `verified_by` is `github` (the person signed in) or the
    admin who vouched; empty for a login that was only typed (before 0013),
    which routes nothing. Written by storage/identities.py.
    """

    __tablename__ = "github_links"
    __table_args__ = (Index("ix_github_links_scope_login", "scope", "login"),)

    scope: str = Field(primary_key=True)
    member: str = Field(primary_key=True)
    login: str
    created_at: datetime = utc_column()
    verified_by: str = ""


class SubscriptionRow(SQLModel, table=True):
    """A channel following a repository; a channel id is unique only within its scope."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("repository", "scope", "channel_id"),)

    id: int | None = Field(default=None, primary_key=True)
    repository: str = Field(index=True)
    scope: str
    platform: str
    team_id: str = ""
    channel_id: str
    created_by: str = ""
    created_at: datetime = utc_column()


class ChannelRepositoryRow(SQLModel, table=True):
    """The home repository a channel chose with `use` (bot.repositories.homes)."""

    __tablename__ = "channel_repositories"

    scope: str = Field(primary_key=True)
    channel_id: str = Field(primary_key=True)
    repository: str
    set_by: str = ""
    updated_at: datetime = utc_column()


class PollCursorRow(SQLModel, table=True):
    """Where the poller stopped, and the ETag that makes an unchanged answer cost nothing."""

    __tablename__ = "poll_cursors"

    key: str = Field(primary_key=True)
    etag: str = ""
    position: int = 0
    updated_at: datetime = utc_column()
