"""Every table of the database, in one place: importing this registers them all.

Each feature keeps its tables beside its repository (`<feature>_tables.py`,
the core's in `tables.py`); Alembic (`migrations/env.py`) and the test that
keeps migrations and tables in step read `METADATA` from here. A new table is
added to the imports below.
"""

from sqlmodel import SQLModel

from storage.digest_tables import DigestRunRow, DigestSnoozeRow, DigestSubscriptionRow
from storage.identity_tables import GitHubSignInRow, GitHubTokenRow
from storage.inbox_tables import InboxRow
from storage.insights_tables import InsightCursorRow, InsightEventRow, InsightIssueRow
from storage.lifecycle_tables import (
    ChannelRepositoryRow,
    GitHubLinkRow,
    NotificationRow,
    PollCursorRow,
    RoleRow,
    SubscriptionRow,
    TrackerEventRow,
)
from storage.linked_tables import LinkedIssueRow
from storage.playbook_tables import PlaybookRepositoryRow
from storage.repositories_tables import (
    GitHubInstallationRow,
    InstallationTokenRow,
    ServedRepositoryRow,
)
from storage.slack_install_tables import SlackTokenLeaseRow
from storage.slack_tables import SlackEventRow
from storage.tables import DraftRow, FiledAskRow, LocalCommentRow, LocalIssueRow, LocalLabelRow
from storage.teams_tables import TeamsReferenceRow

METADATA = SQLModel.metadata

__all__ = [
    "METADATA",
    "ChannelRepositoryRow",
    "DigestRunRow",
    "DigestSnoozeRow",
    "DigestSubscriptionRow",
    "DraftRow",
    "FiledAskRow",
    "GitHubInstallationRow",
    "GitHubLinkRow",
    "GitHubSignInRow",
    "GitHubTokenRow",
    "InboxRow",
    "InsightCursorRow",
    "InsightEventRow",
    "InsightIssueRow",
    "InstallationTokenRow",
    "LinkedIssueRow",
    "LocalCommentRow",
    "LocalIssueRow",
    "LocalLabelRow",
    "NotificationRow",
    "PlaybookRepositoryRow",
    "PollCursorRow",
    "RoleRow",
    "ServedRepositoryRow",
    "SlackEventRow",
    "SlackTokenLeaseRow",
    "SubscriptionRow",
    "TeamsReferenceRow",
    "TrackerEventRow",
]
