"""Migration 0009: today's rows move under the workspace or tenant they came from.

An old-schema database at the previous head is filled with rows as the bot
wrote them, upgraded, and read back through the repositories.
"""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from bot.digest.model import place_key
from bot.identity.model import Identity
from bot.types import Member, Place, Scope
from storage.database import Database, _alembic_config
from storage.digest import SqlSnoozeStore, SqlSubscriptionStore
from storage.identities import SqlIdentityStore
from storage.people import SqlPeopleStore
from storage.schema import METADATA
from storage.values import LEGACY_SCOPE

PREVIOUS = "0011_repositories"
AT = datetime(2025, 11, 1, tzinfo=UTC)
OLD_ROWS = [
    "INSERT INTO roles (repository, role, member, created_at) VALUES "
    "('o/r', 'it', 'slack:TA:U1', :at), ('o/r', 'it', 'teams:tenant-1:u2', :at), "
    "('o/r', 'it', 'console:local:me', :at), ('o/r', 'it', 'slack::U9', :at)",
    "INSERT INTO github_links (member, login, created_at) VALUES "
    "('slack:TA:U1', 'ana', :at), ('slack:TB:U1', 'ana', :at)",
    "INSERT INTO subscriptions (repository, platform, team_id, channel_id, created_by, created_at) "
    "VALUES ('o/r', 'slack', 'TA', 'C1', 'x', :at), ('o/r', 'slack', '', 'C1', 'x', :at), "
    "('o/r', 'teams', '', 'C1', 'x', :at)",
    "INSERT INTO digest_subscriptions (key, platform, team_id, channel_id, hour, minute, "
    "timezone, days, thresholds, post_empty, created_at, updated_at) VALUES "
    "('slack:TA:C1', 'slack', 'TA', 'C1', 9, 0, 'UTC', 'weekdays', '{}', true, :at, :at), "
    "('slack::C2', 'slack', '', 'C2', 9, 0, 'UTC', 'weekdays', '{}', true, :at, :at)",
    "INSERT INTO digest_snoozes (key, issue_number, snoozed_at, until) VALUES "
    "('slack:TA:C1', 4, :at, :until), ('slack::C2', 5, :at, :until)",
    "INSERT INTO filed_asks (repository, issue_number, issue_url, title, requester, "
    "requester_name, platform, team_id, channel_id, thread_id, draft_id, created_at, phase) "
    "VALUES ('o/r', 1, 'u', 't', 'teams:tenant-1:u2', '', 'teams', 'tenant-1', 'c', '', 'd', "
    ":at, 'Ask')",
]


def _at_previous_head_with_rows(database: Database) -> None:
    with database.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), PREVIOUS)
        for statement in OLD_ROWS:
            connection.execute(
                text(statement), {"at": AT, "until": datetime(2099, 1, 1, tzinfo=UTC)}
            )


async def test_rows_move_under_the_scope_they_came_from(blank_database: Database) -> None:
    _at_previous_head_with_rows(blank_database)
    blank_database.migrate()
    people = SqlPeopleStore(blank_database)
    assert await people.roles_everywhere(repository="o/r") == {
        "it": (
            Member("slack:TA", "slack:TA:U1"),
            Member("teams:tenant-1", "teams:tenant-1:u2"),
            Member("console:local", "console:local:me"),
        )
    }
    ben = Member("slack:TB", "slack:TB:U1")  # typed, so kept unverified by 0013: routes nothing
    assert await SqlIdentityStore(blank_database).identity(member=ben) == Identity(ben, "ana")
    assert await people.members_for_logins(scope=Scope("slack", "TB"), logins=["ana"]) == {}
    assert await people.channels(repository="o/r") == [Place("slack", "C1", "TA")]
    subscriptions = SqlSubscriptionStore(blank_database)
    [live] = await subscriptions.all()
    assert live.place == Place("slack", "C1", "TA") and live.key == place_key(live.place)
    snoozes = SqlSnoozeStore(blank_database)
    assert [s.number for s in await snoozes.active(key="slack:TA:C1", now=AT)] == [4]
    with blank_database.engine.connect() as connection:
        legacy = connection.execute(
            text("SELECT key FROM digest_snoozes WHERE key LIKE 'legacy:%'")
        ).scalars()
        assert list(legacy) == ["legacy:slack::C2"]
        scopes = connection.execute(text("SELECT scope FROM roles ORDER BY id")).scalars()
        assert list(scopes)[-1] == LEGACY_SCOPE
        ask = connection.execute(text("SELECT scope FROM filed_asks")).scalar_one()
        assert ask == "teams:tenant-1"
        legacy_channels = connection.execute(
            text("SELECT count(*) FROM subscriptions WHERE scope = 'legacy'")
        ).scalar_one()
        assert legacy_channels == 1  # two legacy rows for one channel: the first is kept


def test_the_upgraded_schema_matches_the_models_in_every_scope_column(
    blank_database: Database,
) -> None:
    """Types and server defaults of what 0009 touched agree with the models exactly."""
    blank_database.migrate()
    touched = {"roles", "github_links", "subscriptions", "digest_subscriptions", "drafts"}
    with blank_database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        differences = [str(d) for d in compare_metadata(context, METADATA)]
    assert [d for d in differences if any(f"'{name}'" in d for name in touched)] == []
    assert [d for d in differences if "'scope'" in d] == []


def test_downgrade_and_upgrade_again(blank_database: Database) -> None:
    _at_previous_head_with_rows(blank_database)
    blank_database.migrate()
    with blank_database.engine.begin() as connection:
        command.downgrade(_alembic_config(connection), PREVIOUS)
        keys = connection.execute(text("SELECT key FROM digest_snoozes ORDER BY key")).scalars()
        assert list(keys) == ["slack::C2", "slack:TA:C1"]
    blank_database.migrate()
