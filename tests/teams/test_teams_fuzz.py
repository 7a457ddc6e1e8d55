"""Fuzzed Bot Framework activities posted to /api/messages: a 2xx or a 4xx, never a 5xx."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.strategies import JSON
from tests.teams.conftest import Teams

KINDS = st.sampled_from(
    ["message", "conversationUpdate", "installationUpdate", "invoke", "messageReaction",
     "typing", "event", "endOfConversation", "nonsense", ""]
)  # fmt: skip
FIELDS = st.sampled_from(["text", "value", "entities", "attachments", "membersAdded", "action",
                          "name", "replyToId", "channelData", "from", "conversation"])  # fmt: skip
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(kind=KINDS, changes=st.dictionaries(FIELDS, JSON, max_size=5))
async def test_activities_of_any_shape(teams: Teams, kind: str, changes: dict[str, Any]) -> None:
    activity = {**teams.activity(kind), **changes}
    response = await teams.post(activity)
    assert response.status < 500, await response.text()


@FUZZ
@given(body=JSON)
async def test_bodies_that_are_not_activities(teams: Teams, body: Any) -> None:
    response = await teams.post(body)
    assert response.status < 500, await response.text()
