"""Where nothing decides the repository (a DM), the Ask asks which: the DM conversation's
first question and the form's first field offer every repository the bot files into, the
default first, and the Ask is filed in the one chosen. A channel keeps its home.

The bot serves octo/dslp (the default) and acme/models (DSLP_REPOSITORIES).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.slack.conftest import ANA, GOOD, SlackHarness, as_text, open_form

pytestmark = pytest.mark.slow
OTHER = "acme/models"
DM = f"D{ANA}"
REQUIRED = [str(GOOD[key]) for key in ("title", "problem", "outcome")]


@pytest.fixture
def slack_overrides() -> dict[str, Any]:
    return {"dslp_repositories": OTHER}


@pytest.fixture(autouse=True)
def other(slack: SlackHarness) -> None:
    slack.github.add_repo(OTHER)


async def say(slack: SlackHarness, *texts: str) -> str:
    before = len(slack.fake.delivered("chat.postMessage"))
    for text in texts:
        assert (await slack.dm(text)).status == 200
        await slack.settle()
    return as_text(slack.fake.delivered("chat.postMessage")[before:])


def buttons(post: dict[str, Any]) -> list[str]:
    return [
        element.get("value", "")
        for block in post.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
    ]


async def test_a_dm_conversation_asks_which_repository_first_and_files_there(
    slack: SlackHarness,
) -> None:
    asked = await say(slack, "ask")
    assert "Which repository" in asked
    assert buttons(slack.fake.delivered("chat.postMessage")[-1])[:2] == ["octo/dslp", OTHER]
    await say(slack, OTHER, *REQUIRED, "preview", "submit")
    await slack.settle()
    [filed] = slack.github.issues(OTHER)
    assert filed.title == GOOD["title"] and slack.github.issues() == []
    assert f"/{OTHER}/issues/{filed.number}" in as_text(slack.fake.delivered("chat.postMessage"))


async def test_a_title_given_with_ask_is_kept_and_a_repository_not_served_is_refused(
    slack: SlackHarness,
) -> None:
    asked = await say(slack, f"ask {GOOD['title']}")
    assert "Which repository" in asked
    refused = await say(slack, "secret/vault")
    assert f"Repository must be one of: octo/dslp, {OTHER}" in refused
    await say(slack, "octo/dslp", *REQUIRED[1:], "preview", "submit")
    await slack.settle()
    [filed] = slack.github.issues()
    assert filed.title == GOOD["title"] and slack.github.issues(OTHER) == []


async def test_the_form_opened_in_a_dm_has_a_repository_select_and_files_there(
    slack: SlackHarness,
) -> None:
    before = len(slack.fake.delivered("views.open"))
    assert (await slack.command("ask", channel=DM)).status == 200
    opened = await slack.fake.wait_for("views.open", before + 1)
    view = {**opened[-1]["view"], "id": "V1"}
    [select] = [b for b in view["blocks"] if b.get("block_id") == "repository"]
    options = [o["value"] for o in select["element"]["options"]]
    assert options == ["octo/dslp", OTHER]
    review = await slack.submit_view(view, {**GOOD, "repository": OTHER})
    assert review.json().get("response_action") == "update", review.text
    await slack.submit_view({**review.json()["view"], "id": "V1"}, {})
    await slack.settle()
    [filed] = slack.github.issues(OTHER)
    assert filed.title == GOOD["title"]


async def test_the_form_in_a_channel_files_in_its_home_without_asking(
    slack: SlackHarness,
) -> None:
    view = await open_form(slack)
    assert not [b for b in view["blocks"] if b.get("block_id") == "repository"]
