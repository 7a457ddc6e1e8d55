"""The issue's "Done when", end to end: an Ask from a Slack thread worked through the playbook.

The whole app (`build`), its webhook route and workers, against FakeGitHub. Chat commands go
through `Commands` as the Slack adapter calls them (a Slack person in a Slack channel); GitHub's
webhooks are built from the fake's own issues after each step and signed, as GitHub sends them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.render import LinkSection, parse_ask, render_ask
from bot.types import FiledAsk, Member, Person, Place, Say, ShowFiled
from tests.fakes.github_api import FakeGitHub
from tests.lifecycle.conftest import ASK_THREAD, REQUESTER, Bot, T, start_bot, stop_bot
from tests.linked.test_open_linked_work import EXPERIMENT_ANSWERS

DANA = Person("slack", "UDANA", T, "Dana")
WORKROOM = Place("slack", "C-WORK", T)


def payload(fake: FakeGitHub, action: str, number: int, label: str = "") -> dict[str, Any]:
    repo = fake.repo()
    issue = fake.state.render_issue(repo, repo.issues[number], fake.api_url)
    found: dict[str, Any] = {
        "action": action,
        "issue": issue,
        "repository": fake.state.render_repo(repo, fake.api_url),
        "sender": fake.state.viewer.render(fake.api_url),
    }
    if label:
        found["label"] = {"name": label, "color": "ededed"}
    return found


async def emit(bot: Bot, fake: FakeGitHub, action: str, number: int, label: str = "") -> None:
    status, _ = await bot.post("issues", payload(fake, action, number, label))
    assert status == 202


async def work(bot: Bot, text: str, *answers: str) -> list[Any]:
    """A command in the work channel, its answers, then what filing sent back."""
    commands = bot.app.commands
    before = len(bot.slack.sent)
    replies = await commands.run(person=DANA, place=WORKROOM, text=text)
    for answer in (*answers, "preview", "submit") if answers else ():
        await commands.message(person=DANA, place=WORKROOM, text=answer)
    await bot.app.worker.drain()
    return replies + [reply for _, sent in bot.slack.sent[before:] for reply in sent]


def filed_number(replies: list[Any]) -> int:
    return next(reply.number for reply in replies if isinstance(reply, ShowFiled))


async def file_ask_from_slack(bot: Bot, fake: FakeGitHub) -> int:
    """What filing an Ask from Rita's Slack thread leaves: the issue, and where she asked."""
    answers = {"title": "Predict churn", "problem": "Churn surprises us.", "outcome": "CSMs act."}
    rendered = render_ask(answers, skipped=(), requester_name="Rita", origin="slack", draft_id="d1")
    number = fake.add_issue(title=rendered.title, body=rendered.body, labels=["Ask"]).number
    ask = FiledAsk(number, f"https://github.com/octo/dslp/issues/{number}", rendered.title,
                   REQUESTER, "Rita", ASK_THREAD, "d1", "octo/dslp")  # fmt: skip
    await bot.app.asks.record(ask=ask)
    await emit(bot, fake, "opened", number)
    return number


@pytest.mark.slow
async def test_an_ask_worked_through_the_whole_playbook(
    tmp_path: Path, fake_github: FakeGitHub
) -> None:
    fake = fake_github
    bot = await start_bot(tmp_path, fake)
    try:
        await bot.app.identities.vouch(
            member=Member(f"slack:{T}", f"slack:{T}:UDANA"), login="dana-gh", by="slack:T1:UADMIN"
        )
        fake.collaborator("dana-gh", "write")
        ask = await file_ask_from_slack(bot, fake)

        data = filed_number(
            await work(bot, f"data {ask} get", "CRM", "All", "SFDC", "skip", "skip")
        )
        await emit(bot, fake, "opened", data)
        goals = ("Usage before churn", "Logs", "Does usage drop?", "3 days")
        explore = filed_number(await work(bot, f"explore {ask}", *goals))
        await emit(bot, fake, "opened", explore)
        failed = filed_number(await work(bot, f"experiment {ask}", *EXPERIMENT_ANSWERS))
        await emit(bot, fake, "opened", failed)
        good = filed_number(await work(bot, f"experiment {ask}", *EXPERIMENT_ANSWERS))
        await emit(bot, fake, "opened", good)
        failed_pull = fake.add_pull(head=f"experiment/{failed}-churn-gbm-baseline")
        good_pull = fake.add_pull(head=f"experiment/{good}-churn-gbm-baseline")

        await work(bot, f"experiment {failed} failed No signal beyond the rules")
        await emit(bot, fake, "labeled", failed, "failed")
        await emit(bot, fake, "closed", failed)
        await work(bot, f"experiment {good} succeeded Recall 0.61 vs 0.2 for the rules")
        await emit(bot, fake, "labeled", good, "succeeded")
        model = filed_number(await work(bot, f"model {good}", "keep", "keep"))
        await emit(bot, fake, "opened", model)
        fake.repo().issues[model].labels.append("Deploy")
        await emit(bot, fake, "labeled", model, "Deploy")
        fake.repo().issues[ask].state = "closed"
        await emit(bot, fake, "closed", ask)

        children = [data, explore, failed, good, model]
        assert [issue.number for issue in fake.sub_issues(ask)] == children
        prefixes = ("data", "explore", "experiment", "experiment", "model")
        for number, prefix in zip(children, prefixes, strict=True):
            (branch,) = fake.repo().issues[number].linked_branches
            assert branch.startswith(f"{prefix}/{number}-")
        assert fake.repo().issues[failed].state == "closed"
        assert failed_pull.state == "closed" and "No signal beyond the rules" in (
            failed_pull.comments[-1].body
        )
        assert good_pull.base == f"model/{model}-churn-gbm-baseline"
        log = parse_ask("", fake.repo().issues[ask].body or "").links[LinkSection.EXPERIMENTS]
        assert [(link.number, link.status, link.tldr) for link in log] == [
            (good, "succeeded", "Recall 0.61 vs 0.2 for the rules"),
            (failed, "failed", "No signal beyond the rules"),
        ]

        thread = [reply for place, reply in bot.slack.replies if place == ASK_THREAD]
        assert all(isinstance(reply, Say) for reply in thread)
        heads = [reply.text.split("\n")[0] for reply in thread if isinstance(reply, Say)]
        assert len(heads) == 6, heads
        expected = (f"#{data}", f"#{failed}", f"#{good}", f"#{model}", f"#{model}", f"#{ask}")
        for head, ref in zip(heads, expected, strict=True):
            assert ref in head
        assert "TLDR: No signal beyond the rules" in thread[1].text  # type: ignore[union-attr]
    finally:
        await stop_bot(bot)
