"""Without sign-in only an admin says who someone is; older typed links count for nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from pydantic import SecretStr
from sqlalchemy import text

from adapters.app import App
from adapters.composition import build
from adapters.doctor import check_identities
from bot.mentions import mention
from bot.types import Place, Reply, Say
from storage.database import Database, _alembic_config
from storage.people import SqlPeopleStore
from tests.identity.conftest import ADMIN, ANA, BEN
from tests.support.apps import app_settings


@pytest.fixture
def app(tmp_path: Path) -> Any:
    built = build(app_settings(tmp_path, dslp_admins=ADMIN.key))
    yield built
    built.database.dispose()


async def say(app: App, text: str, person: Any = ANA) -> str:
    replies: list[Reply] = await app.commands.run(
        person=person, place=Place.direct(person), text=text
    )
    assert len(replies) == 1 and isinstance(replies[0], Say)
    return replies[0].text


async def test_without_sign_in_link_github_names_the_admins(app: App) -> None:
    said = await say(app, "link github")
    assert "only the bot's admins" in said and mention(ADMIN.key) in said
    assert "only the bot's admins" in await say(app, "link github ana-gh")
    assert await app.identities.identity(ANA.member) is None


async def test_an_admin_vouches_and_the_link_routes(app: App) -> None:
    said = await say(app, f"link github {mention(ANA.key)} @Ana-GH", ADMIN)
    assert "vouched for" in said
    identity = await app.identities.identity(ANA.member)
    assert identity is not None and identity.verified and identity.verified_by == ADMIN.key
    people = app.notifications.people
    assert await people.members_for_logins(scope=ANA.scope, logins=["ana-gh"]) == {
        "ana-gh": (ANA.key,)
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"link github {mention(BEN.key)} ben-gh", "Only the bot's admins"),
        ("link gitlab", "Say `link github`"),
        ("link github a b c", "Say `link github`"),
    ],
)
async def test_vouching_refusals(app: App, text: str, expected: str) -> None:
    assert expected in await say(app, text, ANA)
    assert await app.identities.identity(BEN.member) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("link github nobody ben-gh", "could not read"),
        (f"link github {mention(BEN.key)} -bad", "not a GitHub login"),
    ],
)
async def test_an_admin_mistyping_is_told(app: App, text: str, expected: str) -> None:
    assert expected in await say(app, text, ADMIN)


async def test_doctor_says_identities_are_vouched_without_client_credentials(
    tmp_path: Path,
) -> None:
    off = await check_identities(app_settings(tmp_path, dslp_admins=ADMIN.key))
    assert off.ok and off.warning and "DSLP_ADMINS" in off.detail
    on = app_settings(
        tmp_path,
        github_client_id="Iv1.x",
        github_client_secret=SecretStr("s"),
        dslp_secret_key=SecretStr("not-a-key"),
        dslp_public_url="https://x",
    )
    assert "DSLP_SECRET_KEY" in (await check_identities(on)).detail


async def test_typed_links_from_before_the_migration_route_nothing(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with database.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0012_scopes")
        connection.execute(
            text(
                "INSERT INTO github_links (scope, member, login, created_at)"
                " VALUES (:s, :m, :l, :t)"
            ),
            {"s": ANA.scope.key, "m": ANA.key, "l": "ana-gh", "t": "2025-11-01 00:00:00"},
        )
    database.migrate()
    with database.engine.connect() as connection:
        verified_by = connection.execute(text("SELECT verified_by FROM github_links")).scalar()
    assert verified_by == ""
    assert (
        await SqlPeopleStore(database).members_for_logins(scope=ANA.scope, logins=["ana-gh"]) == {}
    )
    database.dispose()
