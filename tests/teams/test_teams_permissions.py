"""Teams: GitHub decides; Bob (not linked; no sign-in set up here) is refused, Alice may."""

from __future__ import annotations

from tests.fakes.github_api import FakeGitHub
from tests.support.identities import member_of
from tests.teams.conftest import BOB, TENANT, Teams
from tests.teams.test_teams_linked import ask


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
