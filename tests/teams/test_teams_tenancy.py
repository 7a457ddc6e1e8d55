"""Teams tenants never mix with each other or with Slack: roles, `status` and drafts of one
tenant are invisible from another, a Slack workspace's rows are out of a Teams user's reach,
and an activity that names no tenant runs nothing.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bot.types import FiledAsk, Place, Scope
from tests.teams.conftest import TENANT, Teams

pytestmark = pytest.mark.slow
OTHER_TENANT = "tenant-2"


def in_tenant(activity: dict[str, Any], tenant: str) -> dict[str, Any]:
    moved = copy.deepcopy(activity)
    moved["conversation"]["tenantId"] = tenant
    moved["channelData"]["tenant"]["id"] = tenant
    return moved


async def say_in(teams: Teams, tenant: str, text: str) -> str:
    sent = await teams.send(in_tenant(teams.message(text=text), tenant))
    return " ".join(str(s.activity.get("text", "")) for s in sent)


async def test_roles_and_status_stay_in_their_tenant(teams: Teams) -> None:
    people = teams.app.notifications.people
    await people.add_role(
        scope=Scope("teams", TENANT), repository="octo/dslp", role="it", members=["teams:x:y"]
    )
    await people.add_role(
        scope=Scope("slack", OTHER_TENANT), repository="octo/dslp", role="it", members=["slack:a:b"]
    )
    assert "No roles" in await say_in(teams, OTHER_TENANT, "role list")
    assert "No roles" not in await say_in(teams, TENANT, "role list")
    await teams.app.asks.record(
        ask=FiledAsk(
            issue_number=3,
            issue_url="u",
            title="Tenant one's plan",
            requester=f"teams:{TENANT}:someone",
            requester_name="",
            origin=Place("teams", "c", TENANT),
            draft_id="d3",
            repository="octo/dslp",
        )
    )
    assert "Tenant one's plan" in await say_in(teams, TENANT, "status #3")
    assert "Tenant one's plan" not in await say_in(teams, OTHER_TENANT, "status #3")


async def test_a_draft_is_not_resumed_from_another_tenant(teams: Teams) -> None:
    await say_in(teams, TENANT, "ask Churn in tenant one")
    assert await teams.app.drafts.list_open(owner=f"teams:{TENANT}:aad-alice")
    other = await say_in(teams, OTHER_TENANT, "status")
    assert "Churn in tenant one" not in other
    assert "Churn in tenant one" not in await say_in(teams, OTHER_TENANT, "resume")


async def test_an_activity_without_a_tenant_runs_nothing(teams: Teams) -> None:
    activity = teams.message(text="role list")
    del activity["conversation"]["tenantId"]
    del activity["channelData"]["tenant"]
    assert await teams.send(activity) == []
