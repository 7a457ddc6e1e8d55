"""Slack installations (many workspaces, OAuth v2): slack_sdk's own tables, and our lease.

The installation and OAuth state tables are slack_sdk's (`SQLAlchemyInstallationStore`,
`SQLAlchemyOAuthStateStore`), registered on our metadata so the migration that creates
them is held to their shape like every other table's. The lease is ours: while one
replica refreshes a workspace's rotating bot token, the others wait for its result.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlmodel import Field, SQLModel

from storage.columns import utc_column

INSTALLATIONS = "slack_installations"
BOTS = "slack_bots"
OAUTH_STATES = "slack_oauth_states"

SLACK_INSTALLATIONS = SQLAlchemyInstallationStore.build_installations_table(
    SQLModel.metadata, INSTALLATIONS
)
SLACK_BOTS = SQLAlchemyInstallationStore.build_bots_table(SQLModel.metadata, BOTS)
SLACK_OAUTH_STATES = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    SQLModel.metadata, OAUTH_STATES
)


class SlackTokenLeaseRow(SQLModel, table=True):
    """One workspace's (or Grid org's) bot token refresh, claimed by one replica at a time."""

    __tablename__ = "slack_token_leases"

    installation: str = Field(primary_key=True)
    """`E…` for an org-wide install, else `T…` (with its org, `E…:T…`)."""
    lease_until: datetime | None = utc_column(nullable=True)
