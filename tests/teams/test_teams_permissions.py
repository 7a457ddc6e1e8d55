"""Teams: GitHub decides; Bob (not linked; no sign-in set up here) is refused, Alice may."""

from __future__ import annotations

from bot.types import Place
from tests.fakes.github_api import FakeGitHub
from tests.support.identities import member_of
from tests.teams.conftest import BOB, CHANNEL, TENANT, Teams, card_data
from tests.teams.test_teams_linked import ask

CHANNEL_PLACE = Place("teams", CHANNEL, TENANT)


async def test_linked_work_needs_a_signed_in_writer(teams: Teams, fake_github: FakeGitHub) -> None:
    number = ask(fake_github)
    refused = await teams.say(f"data {number}", user=BOB)
    assert len(refused) == 1 and "needs write access" in refused[0].words
    assert "I don't know your GitHub login" in refused[0].words
    button = {"dslp": "form", "flow": "data", "command": f"data {number}"}
    form = await teams.press(button, user=BOB)
    assert "needs write access" in form[0].words and not form[0].cards
    assert f"#{number}" in (await teams.say(f"data {number}"))[0].words


async def test_roles_need_maintain(teams: Teams, fake_github: FakeGitHub) -> None:
    await teams.app.identities.vouch(
        member=member_of(f"teams:{TENANT}:aad-bob"), login="bob-gh", by="x"
    )
    fake_github.collaborator("bob-gh", "write")
    said = (await teams.say("role add it teams:tenant-1:u9", user=BOB))[0].words
    assert "maintain or admin access" in said
    assert "has the role" in (await teams.say("role add it teams:tenant-1:u9"))[0].words


async def test_a_private_repository_is_subscribed_once_its_subscriber_presses_confirm(
    teams: Teams, fake_github: FakeGitHub
) -> None:
    fake_github.repo().private = True
    [question] = await teams.say("subscribe", channel=True)
    assert "octo/dslp is private" in question.words
    assert await teams.app.notifications.people.subscriptions(place=CHANNEL_PLACE) == []
    [done] = await teams.press(card_data(question, "say"), channel=True)
    assert "now receives" in done.words
    assert await teams.app.notifications.people.subscriptions(place=CHANNEL_PLACE) == ["octo/dslp"]
