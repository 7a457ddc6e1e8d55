"""Slack installations (many workspaces, OAuth v2): slack_sdk's own tables, and our lease.

The installation and OAuth state tables are slack_sdk's (`SQLAlchemyInstallationStore`,
`SQLAlchemyOAuthStateStore`), registered on our metadata so the migration that creates
them is held to their shape like every other table's; but their credential columns are
Text, since they hold sealed tokens (`storage/slack_installs.py`), longer than slack_sdk's
String(200). The lease is ours: while one replica refreshes a workspace's rotating bot
token, the others wait for its result.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table, Text
from sqlmodel import Field, SQLModel

from storage.columns import utc_column

INSTALLATIONS = "slack_installations"
BOTS = "slack_bots"
OAUTH_STATES = "slack_oauth_states"

SEALED = (
    "bot_token",
    "bot_refresh_token",
    "user_token",
    "user_refresh_token",
    "incoming_webhook_url",
)
"""The columns that hold a credential (a webhook URL is one: it posts without a token)."""


class SlackInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store on its own tables, with the credential columns wide enough to hold
    a sealed token: the store's own Table objects and our metadata's agree with the migration."""

    @classmethod
    def build_installations_table(cls, metadata: MetaData, table_name: str) -> Table:
        return _widened(super().build_installations_table(metadata, table_name))

    @classmethod
    def build_bots_table(cls, metadata: MetaData, table_name: str) -> Table:
        return _widened(super().build_bots_table(metadata, table_name))


def _widened(table: Table) -> Table:
    for name in SEALED:
        if name in table.c:
            table.c[name].type = Text()
    return table


SLACK_INSTALLATIONS = SlackInstallationStore.build_installations_table(
    SQLModel.metadata, INSTALLATIONS
)
SLACK_BOTS = SlackInstallationStore.build_bots_table(SQLModel.metadata, BOTS)
SLACK_OAUTH_STATES = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    SQLModel.metadata, OAUTH_STATES
)


class SlackTokenLeaseRow(SQLModel, table=True):
    """One workspace's (or Grid org's) bot token refresh, claimed by one replica at a time."""

    __tablename__ = "slack_token_leases"

    installation: str = Field(primary_key=True)
    """`E…` for an org-wide install, else `T…` (with its org, `E…:T…`)."""
    lease_until: datetime | None = utc_column(nullable=True)
