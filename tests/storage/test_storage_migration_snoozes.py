"""Migration 0017: a snooze names its issue's repository; one from before means the default's."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text

from storage.database import Database, _alembic_config
from storage.digest import SqlSnoozeStore

AT = datetime(2025, 12, 1, tzinfo=UTC)
UNTIL = datetime(2099, 1, 1, tzinfo=UTC)
KEY = "slack:TA:C1"


async def test_a_snooze_from_before_hides_the_default_repositorys_issue_only(
    blank_database: Database,
) -> None:
    with blank_database.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0017_playbook")
        connection.execute(
            text(
                "INSERT INTO digest_snoozes (key, issue_number, snoozed_at, until) "
                "VALUES (:key, 4, :at, :until)"
            ),
            {"key": KEY, "at": AT, "until": UNTIL},
        )
    blank_database.migrate()
    snoozes = SqlSnoozeStore(blank_database)
    [old] = await snoozes.active(key=KEY, now=AT)
    assert old.of("Octo/DSLP", default="octo/dslp") and not old.of("acme/models", "octo/dslp")
    await snoozes.snooze(key=KEY, repository="Acme/Models", number=4, at=AT, until=UNTIL)
    found = await snoozes.active(key=KEY, now=AT)
    assert sorted(s.repository for s in found) == ["", "acme/models"]
    assert [s.of("acme/models", "octo/dslp") for s in found if s.repository] == [True]


def test_downgrade_keeps_one_snooze_per_channel_and_number(blank_database: Database) -> None:
    blank_database.migrate()
    with blank_database.engine.begin() as connection:
        for repository in ("acme/models", "octo/dslp"):
            connection.execute(
                text(
                    "INSERT INTO digest_snoozes (key, repository, issue_number, snoozed_at, until)"
                    " VALUES (:key, :repository, 4, :at, :until)"
                ),
                {"key": KEY, "repository": repository, "at": AT, "until": UNTIL},
            )
        command.downgrade(_alembic_config(connection), "0017_playbook")
        rows = connection.execute(text("SELECT key, issue_number FROM digest_snoozes")).all()
    assert [tuple(row) for row in rows] == [(KEY, 4)]
