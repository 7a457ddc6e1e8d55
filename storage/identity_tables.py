"""Tables of verified people: sign-ins under way and sealed user tokens.

The links themselves stay in `github_links` (storage/lifecycle_tables.py),
which the notifications read; a link counts only when `verified_by` is set.
Every row names the scope (workspace, Grid org or tenant) of its member.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.columns import text_field, utc_column


class GitHubSignInRow(SQLModel, table=True):
    """A sign-in link handed out; keyed by the SHA-256 of its state, never the state."""

    __tablename__ = "github_sign_ins"

    state_hash: str = Field(primary_key=True)
    scope: str
    member: str
    platform: str
    team_id: str = ""
    org_id: str = ""
    channel_id: str
    expires_at: datetime = utc_column(index=True)
    created_at: datetime = utc_column()


class GitHubTokenRow(SQLModel, table=True):
    """A member's GitHub user token and refresh token, each sealed with DSLP_SECRET_KEY.

    Keyed like the member's link (scope and member): a link and its token go together.
    """

    __tablename__ = "github_tokens"

    scope: str = Field(primary_key=True)
    member: str = Field(primary_key=True)
    access_token: str = text_field()
    refresh_token: str = text_field()
    expires_at: datetime | None = utc_column(nullable=True)
    refresh_expires_at: datetime | None = utc_column(nullable=True)
    refresh_lease_until: datetime | None = utc_column(nullable=True)
    """While set and in the future, one replica is refreshing this token: the others wait."""
    updated_at: datetime = utc_column()
