"""GitHub Projects (v2) both ways: a person's edit of the Status field is a transition with
the same hand-off pings as its label; the bot's own transitions move the field.

Real signed `projects_v2_item` webhooks in, the fake GitHub's GraphQL answering which issue
an item holds (the event names no repository). Editing an item needs only the Project, so
the edit's author must also be someone GitHub lets change the issue's labels."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.types import Person, Place, Say
from storage.playbook import SqlPlaybookStore
from storage.values import utc_now
from tests.fakes.github_api import FakeGitHub
from tests.fakes.github_structure import FakeProject
from tests.lifecycle.conftest import (
    ASK,
    ASK_THREAD,
    CHANNEL,
    ML_GROUP,
    Bot,
    mentioned,
    set_up_team,
    start_bot,
    stop_bot,
)
from tests.lifecycle.test_inbox_ingest import expire_leases
from tests.support.webhooks import issue_payload, project_item_payload, signed

PHASES = ("Ask", "Data", "Explore", "Experiment", "Succeeded", "Failed", "Model", "Deploy", "Done")
CONSOLE = Place("console", "terminal", "local")
REF = f"***Ask Reference:*** #{ASK}\n***TLDR:*** GBM beats the baseline."


@pytest.fixture
async def bot(tmp_path: Path, fake_github: FakeGitHub) -> AsyncIterator[Bot]:
    """DSLP_PROJECT is octo/5; the Ask is #1 and Experiment #2 is on the Project; ana-gh, who
    makes the edits, may write to the repository."""
    running = await start_bot(tmp_path, fake_github, dslp_project="octo/5")
    fake_github.collaborator("ana-gh", "write")
    await set_up_team(running)
    fake_github.add_issue(title="Predict churn", labels=["Ask"])
    fake_github.add_issue(title="GBM", body=REF, labels=["Experiment"])
    yield running
    await stop_bot(running)


@pytest.fixture
def project(fake_github: FakeGitHub) -> FakeProject:
    return fake_github.add_project("octo", 5, options=PHASES)


async def edit(bot: Bot, fake: FakeGitHub, option: str, delivery: str, **more: object) -> str:
    """Post the edit of issue #2's item; what the webhook answered."""
    content = str(more.pop("content_id", fake.node_id(2)))
    payload = project_item_payload(content_id=content, option=option, **more)  # type: ignore[arg-type]
    status, answer = await bot.post("projects_v2_item", payload, delivery=delivery)
    assert status == 202
    return str(answer.get("ignored") or answer.get("recorded"))


async def test_a_status_set_to_succeeded_is_the_hand_off_once(
    bot: Bot, fake_github: FakeGitHub, project: FakeProject
) -> None:
    assert await edit(bot, fake_github, "Succeeded", "p-1") == "True"
    assert await edit(bot, fake_github, "Succeeded", "p-1") == "False"  # GitHub redelivers
    label = issue_payload(
        "labeled", number=2, body=REF, labels=("Experiment", "succeeded"), label="succeeded"
    )
    await bot.post("issues", label, delivery="l-1")  # the label too, later: told before
    told = bot.told()
    assert set(told) >= {CHANNEL, ASK_THREAD}
    assert mentioned(told[CHANNEL][0]) == [ML_GROUP] and len(told[CHANNEL]) == 1
    [thread] = told[ASK_THREAD]
    assert "Experiment #2" in thread.text and "succeeded" in thread.text
    assert "GBM beats the baseline." in thread.text
    assert not fake_github.repo().issues[2].comments, "no comment for an edit made in GitHub"


async def test_edits_the_bot_does_not_follow_are_ignored_quietly(
    bot: Bot, fake_github: FakeGitHub, project: FakeProject
) -> None:
    fake_github.add_project("octo", 6, options=PHASES)
    draft = {"content_id": "DI_lADOBfT0Hc4AB8zbzgB3nKQ", "content_type": "DraftIssue"}
    pull = fake_github.add_pull(head="experiment/2-gbm", base="main")
    answers = [
        await edit(bot, fake_github, "Succeeded", "x-1", project_number=6),
        await edit(bot, fake_github, "Succeeded", "x-2", owner="elsewhere"),
        await edit(bot, fake_github, "Succeeded", "x-3", field="Priority"),
        await edit(bot, fake_github, "Urgent", "x-4"),
        await edit(bot, fake_github, "Succeeded", "x-5", **draft),
        await edit(bot, fake_github, "Succeeded", "x-6", content_type="PullRequest"),
    ]
    assert answers == ["project", "project", "field", "field", "action", "action"]
    # A pull request GitHub calls an issue node in the payload still is none to the bot:
    await edit(bot, fake_github, "Succeeded", "x-7", content_id=fake_github.node_id(pull.number))
    assert bot.told() == {}
    assert "DslpItemContent" in fake_github.structure.graphql_calls  # x-7 was looked up


async def test_a_502_on_the_lookup_is_retried(
    bot: Bot, fake_github: FakeGitHub, project: FakeProject
) -> None:
    fake_github.fail_next("POST", r"/graphql", 502, operation="DslpItemContent")
    assert await edit(bot, fake_github, "Failed", "p-2") == "True"
    [thread] = bot.told()[ASK_THREAD]
    assert "Experiment #2" in thread.text
    assert fake_github.count("POST", r"/graphql") == 2  # the 502, then the answer
    assert fake_github.structure.graphql_calls == ["DslpItemContent"]


async def test_an_unsigned_or_forged_edit_is_turned_away_before_anything(
    bot: Bot, fake_github: FakeGitHub, project: FakeProject
) -> None:
    payload = project_item_payload(content_id=fake_github.node_id(2), option="Succeeded")
    body, headers = signed("projects_v2_item", payload, "not-the-secret", delivery="f-1")
    assert (await bot.post_raw(body, headers))[0] == 401
    del headers["X-Hub-Signature-256"]
    assert (await bot.post_raw(body, headers))[0] == 401
    assert await bot.notifications.inbox.counts() == {"received": 0, "waiting": 0}
    assert bot.told() == {} and "DslpItemContent" not in fake_github.structure.graphql_calls


async def test_the_bots_own_transitions_move_the_field(
    bot: Bot, fake_github: FakeGitHub, project: FakeProject
) -> None:
    label = issue_payload(
        "labeled", number=2, body=REF, labels=("Experiment", "failed"), label="failed"
    )
    await bot.post("issues", label, delivery="l-2")
    assert project.phase_of(fake_github.node_id(2)) == "Failed"
    closed = issue_payload("closed", number=ASK, labels=("Ask",))
    await bot.post("issues", closed, delivery="l-3")
    assert project.phase_of(fake_github.node_id(ASK)) == "Done"
    sets = fake_github.structure.graphql_calls.count("DslpSetField")
    await bot.post("issues", label, delivery="l-2")  # redelivered: nothing more
    assert fake_github.structure.graphql_calls.count("DslpSetField") == sets == 2


async def test_a_project_the_token_cannot_see_leaves_the_rest_working(
    bot: Bot, fake_github: FakeGitHub
) -> None:
    label = issue_payload(
        "labeled", number=2, body=REF, labels=("Experiment", "failed"), label="failed"
    )
    await bot.post("issues", label, delivery="l-4")
    assert len(bot.told()[ASK_THREAD]) == 1


async def test_a_repositorys_own_project_wins_and_a_broken_event_is_a_400(
    bot: Bot, fake_github: FakeGitHub, project: FakeProject
) -> None:
    fake_github.add_project("octo", 7, options=PHASES)
    store = SqlPlaybookStore(bot.app.database)
    await store.set_project(repository="octo/dslp", project="Octo/7", by="slack:T1:UADMIN")
    assert await edit(bot, fake_github, "Succeeded", "o-1") == "True"  # octo/5: not its Project
    assert bot.told() == {}
    assert await edit(bot, fake_github, "Succeeded", "o-2", project_number=7) == "True"
    assert "Experiment #2" in bot.told()[ASK_THREAD][0].text
    status, answer = await bot.post("projects_v2_item", {"action": "edited"}, delivery="o-3")
    assert (status, answer["error"]) == (400, "missing projects_v2_item")


async def test_an_edit_by_a_collaborator_with_triage_is_the_transition(
    bot: Bot, fake_github: FakeGitHub, project: FakeProject
) -> None:
    fake_github.collaborator("tia-gh", "triage")
    assert await edit(bot, fake_github, "Succeeded", "t-1", sender="tia-gh") == "True"
    [thread] = bot.told()[ASK_THREAD]
    assert "Experiment #2" in thread.text and "succeeded" in thread.text


@pytest.mark.parametrize("private", [False, True], ids=["read", "none"])
async def test_an_edit_by_someone_who_may_not_label_the_issue_changes_nothing(
    bot: Bot,
    fake_github: FakeGitHub,
    project: FakeProject,
    private: bool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Eve may edit the Project but not the repository: read on a public one, none on a
    private one. Through the bot she reaches nobody, and changes nothing in GitHub."""
    fake_github.repo().private = private
    caplog.set_level(logging.INFO, logger="bot.playbook.edits")
    assert await edit(bot, fake_github, "Succeeded", "e-1", sender="eve-gh") == "True"
    assert await edit(bot, fake_github, "Deploy", "e-2", sender="eve-gh") == "True"
    assert bot.told() == {}
    assert fake_github.count("POST", r".*/labels") == 0
    assert "DslpSetField" not in fake_github.structure.graphql_calls
    assert await bot.notifications.inbox.counts() == {"received": 2, "waiting": 0}
    assert fake_github.count("GET", r".*/collaborators/eve-gh/permission") == 1  # remembered
    [dropped, _] = [r for r in caplog.records if "dropped" in r.getMessage()]
    assert dropped.levelno == logging.INFO
    said = "Project edit github:e-1 dropped: eve-gh may not change labels in octo/dslp"
    assert dropped.getMessage() == said
    assert "test-token" not in caplog.text
    # Given triage later (and asked again once GitHub's answer is five minutes old), she may.
    fake_github.collaborator("eve-gh", "triage")
    bot.app.permissions.clock = lambda: utc_now() + timedelta(minutes=6)
    assert await edit(bot, fake_github, "Failed", "e-3", sender="eve-gh") == "True"
    assert "Experiment #2" in bot.told()[ASK_THREAD][0].text


async def test_a_5xx_on_the_permission_check_is_retried_not_lost(
    bot: Bot, fake_github: FakeGitHub, project: FakeProject
) -> None:
    permission = r".*/collaborators/ana-gh/permission"
    fake_github.fail_next("GET", permission, 502, times=4)  # every attempt of the first try
    assert await edit(bot, fake_github, "Succeeded", "r-1") == "True"
    assert bot.told() == {}
    assert await bot.notifications.inbox.counts() == {"received": 1, "waiting": 1}
    expire_leases(bot)  # its retry time has come
    await bot.settle()
    [thread] = bot.told()[ASK_THREAD]
    assert "Experiment #2" in thread.text
    assert fake_github.count("GET", permission) == 5
    assert await bot.notifications.inbox.counts() == {"received": 1, "waiting": 0}


async def test_a_default_project_of_another_owner_is_no_repositorys_project(
    tmp_path: Path, fake_github: FakeGitHub
) -> None:
    """DSLP_PROJECT is elsewhere/5, the repository octo/dslp: its issues never go there, an
    edit there is no transition, and `project` says why."""
    running = await start_bot(tmp_path, fake_github, dslp_project="elsewhere/5")
    try:
        await set_up_team(running)
        fake_github.collaborator("ana-gh", "write")
        fake_github.add_issue(title="Predict churn", labels=["Ask"])
        fake_github.add_issue(title="GBM", body=REF, labels=["Experiment"])
        elsewhere = fake_github.add_project("elsewhere", 5, options=PHASES)
        assert await edit(running, fake_github, "Succeeded", "d-1", owner="elsewhere") == "True"
        assert running.told() == {}
        label = issue_payload(
            "labeled", number=2, body=REF, labels=("Experiment", "failed"), label="failed"
        )
        await running.post("issues", label, delivery="d-2")
        assert len(running.told()[ASK_THREAD]) == 1, "the transition itself still counts"
        assert not elsewhere.items
        console = Person("console", "me", "local", "me")
        said = await running.app.commands.run(person=console, place=CONSOLE, text="project")
        assert [reply.text for reply in said if isinstance(reply, Say)] == [
            "New work in octo/dslp goes to no Project: elsewhere/5 is another owner's, and a "
            "repository's issues go only to a Project of the same owner."
        ]
    finally:
        await stop_bot(running)
