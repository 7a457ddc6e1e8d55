"""`role`, `subscribe` / `unsubscribe` through Commands.run, on real storage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.app import App
from adapters.composition import build
from bot.mentions import mention
from bot.types import Person, Place, Reply, Say
from tests.support.apps import app_settings

T = "T1"
ADMIN = Person("slack", "UADMIN", T, "Ada")
OTHER = Person("slack", "UOTHER", T, "Otto")
CHANNEL = Place("slack", "C-DSLP", T, "1700.1")
DM = Place.direct(OTHER)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    built = build(app_settings(tmp_path, github_repository="octo/dslp"))
    yield built
    built.database.dispose()


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[App]:
    built = build(app_settings(tmp_path, dslp_admins=f" {ADMIN.key} , slack:T1:UBOSS"))
    yield built
    built.database.dispose()


async def run(app: App, text: str, person: Person = OTHER, place: Place = CHANNEL) -> str:
    replies: list[Reply] = await app.commands.run(person=person, place=place, text=text)
    assert len(replies) == 1 and isinstance(replies[0], Say)
    return replies[0].text


async def test_role_add_list_and_remove_with_mentions_and_groups(app: App) -> None:
    person, group = f"slack:{T}:U1", f"slack:{T}:group:S1"
    said = await run(app, f"role add ML-Engineer {mention(person)} {mention(group)}")
    assert "now have the role `ml-engineer`" in said
    await run(app, f"role add it slack:{T}:U9")
    listed = await run(app, "role list")
    assert f"- `it`: {mention(f'slack:{T}:U9')}" in listed
    assert f"- `ml-engineer`: {mention(person)}, {mention(group)}" in listed
    assert "Removed 1" in await run(app, f"role remove ml-engineer {mention(person)}")
    assert "Nobody of those" in await run(app, f"role remove ml-engineer {mention(person)}")
    roles = await app.notifications.people.roles(scope=OTHER.scope, repository="octo/dslp")
    assert roles == {"it": (f"slack:{T}:U9",), "ml-engineer": (group,)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("role", "Say `role add"),
        ("role promote it @x", "Say `role add"),
        ("role add", "is not a role name"),
        ("role add Data_Scientist slack:T1:U1", "is not a role name"),
        ("role add channel slack:T1:U1", "is not a role name"),
        ("role add it", "Whom?"),
        ("role add it @bob", "could not read “@bob”"),
        ("role add it <@U123|bob>", "could not read"),
    ],
)
async def test_role_bad_input_gets_a_clear_reply(app: App, text: str, expected: str) -> None:
    assert expected in await run(app, text)


async def test_role_list_when_empty(app: App) -> None:
    assert "No roles in octo/dslp yet" in await run(app, "role list")


async def test_only_admins_change_roles_when_admins_are_set(guarded: App) -> None:
    said = await run(guarded, "role add it slack:T1:U1", person=OTHER)
    assert "Only the bot's admins" in said and mention(ADMIN.key) in said
    assert "now has the role `it`" in await run(guarded, "role add it slack:T1:U1", person=ADMIN)
    assert "`it`" in await run(guarded, "role list", person=OTHER)


async def test_subscribe_and_unsubscribe_a_channel(app: App) -> None:
    people = app.notifications.people
    assert "I cannot see that it is public" in await run(app, "subscribe")  # no GitHub here
    assert await people.subscriptions(place=CHANNEL) == []
    said = await run(app, "subscribe confirm")
    assert "now receives the DSLP notifications of octo/dslp" in said
    assert "already receives" in await run(app, "subscribe octo/dslp CONFIRM")
    said = await run(app, "subscribe Octo/Other confirm")
    assert said == "“Octo/Other” is not a repository this bot serves."
    assert await people.channels(repository="octo/dslp") == [Place("slack", "C-DSLP", T)]
    assert await people.subscriptions(place=CHANNEL) == ["octo/dslp"]
    assert "no longer receives" in await run(app, "unsubscribe")
    assert "was not subscribed" in await run(app, "unsubscribe")
    assert await people.channels(repository="octo/dslp") == []


@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        ("subscribe", DM, "from a channel"),
        ("subscribe not a repo", CHANNEL, "is not a repository"),
        ("subscribe /x", CHANNEL, "is not a repository"),
        ("unsubscribe", DM, "from a channel"),
    ],
)
async def test_subscribe_bad_input(app: App, text: str, place: Place, expected: str) -> None:
    assert expected in await run(app, text, place=place)


async def test_subscribe_without_a_repository_configured_asks_for_one(tmp_path: Path) -> None:
    offline = build(app_settings(tmp_path))
    assert "No GitHub repository is configured" in await run(offline, "subscribe")
    offline.database.dispose()
