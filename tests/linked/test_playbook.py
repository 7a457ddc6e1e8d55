"""The DSLP playbook in GitHub: sub-issues, linked branches, closing the loop on an outcome.

Through the commands as adapters call them, the real GitHubTracker (and its requester for
the endpoints PyGithub does not wrap) against FakeGitHub's sub-issues, pulls and GraphQL.
"""

from __future__ import annotations

from datetime import date

from bot.playbook.hold import hold_of
from bot.playbook.model import Actor, ProjectRef
from bot.render import LinkSection, parse_ask
from bot.render.references import tldr_of
from bot.types import Say, ShowFiled
from tests.linked.conftest import Core, texts
from tests.linked.test_open_linked_work import EXPERIMENT_ANSWERS, open_experiment

ZOE = Actor("Zoë", "slack")


def sub_issue_numbers(core: Core, ask: int) -> list[int]:
    return [issue.number for issue in core.fake.sub_issues(ask)]


def mutations(core: Core) -> int:
    return core.fake.structure.graphql_calls.count("DslpLinkBranch")


async def open_model(core: Core, experiment: int) -> tuple[int, list[object]]:
    await core.run(f"model {experiment}")
    sent = await core.answer_all("keep", "keep")
    filed = next(reply for reply in sent if isinstance(reply, ShowFiled))
    return filed.number, list(sent)


async def test_new_work_is_a_sub_issue_with_its_branch_linked(core: Core) -> None:
    ask = core.ask()
    number = await open_experiment(core, ask)
    branch = f"experiment/{number}-churn-gbm-baseline"
    assert sub_issue_numbers(core, ask) == [number]
    assert core.issue(number).linked_branches == [branch]
    assert core.fake.repo().branches[branch] == core.fake.repo().branches["main"]
    comment = core.issue(number).comments[0].body
    assert f"Added as a sub-issue of Ask #{ask}" in comment and f"`{branch}`" in comment
    assert comment.endswith("by Zoë from Slack.")
    # the bot-managed list in the Ask stays, for readers and for GHES
    listed = parse_ask("", core.issue(ask).body).links[LinkSection.EXPERIMENTS]
    assert [link.number for link in listed] == [number]


async def test_pressing_twice_and_a_racing_webhook_change_github_once(core: Core) -> None:
    ask = core.ask()
    number = await open_experiment(core, ask)
    playbook = core.playbook
    issue = await core.tracker.get_issue(number=number)
    assert issue is not None
    comments = len(core.issue(number).comments)
    branch = f"experiment/{number}-churn-gbm-baseline"
    for _ in range(2):
        await playbook.new_work(core.tracker, issue=issue, ask=ask, branch=branch, actor=ZOE)
        assert not await playbook.hand_opened(core.tracker, issue=issue, ask=ask)
    assert sub_issue_numbers(core, ask) == [number]
    assert core.issue(number).linked_branches == [branch] and mutations(core) == 1
    assert core.fake.count("POST", r"/repos/octo/dslp/issues/\d+/sub_issues") == 1
    assert len(core.issue(number).comments) == comments


async def test_a_502_after_github_did_it_is_not_repeated(core: Core) -> None:
    ask = core.ask()
    core.fake.fail_next("POST", r"/repos/octo/dslp/issues/\d+/sub_issues", 502, after_effect=True)
    core.fake.fail_next("POST", r"/graphql", 502, after_effect=True, operation="DslpLinkBranch")
    number = await open_experiment(core, ask)
    assert sub_issue_numbers(core, ask) == [number]
    assert core.fake.count("POST", r"/repos/octo/dslp/issues/\d+/sub_issues") == 1
    assert core.issue(number).linked_branches == [f"experiment/{number}-churn-gbm-baseline"]
    assert mutations(core) == 1
    assert len(core.issue(number).comments) == 1  # the steps' comment, once


async def test_ghes_without_sub_issues_is_quiet(core: Core) -> None:
    core.fake.structure.sub_issues = False
    ask = core.ask()
    await core.run(f"experiment {ask}")
    sent = await core.answer_all(*EXPERIMENT_ANSWERS)
    filed = next(reply for reply in sent if isinstance(reply, ShowFiled))
    assert "did not take" not in texts(sent)
    assert core.issue(filed.number).linked_branches  # the branch still comes
    listed = parse_ask("", core.issue(ask).body).links[LinkSection.EXPERIMENTS]
    assert [link.number for link in listed] == [filed.number]
    assert "sub-issue" not in core.issue(filed.number).comments[0].body


async def test_a_repository_without_branch_rights_tells_once(core: Core) -> None:
    core.fake.set_permissions(push=False, triage=True)
    ask = core.ask()
    told = []
    for _ in range(2):
        await core.run(f"experiment {ask}")
        sent = await core.answer_all(*EXPERIMENT_ANSWERS)
        told.append("may not create branches" in texts(sent))
        filed = next(reply for reply in sent if isinstance(reply, ShowFiled))
        assert core.issue(filed.number).linked_branches == []
    assert told == [True, False]
    assert len(sub_issue_numbers(core, ask)) == 2  # the rest still works


async def test_branches_off_and_on(core: Core) -> None:
    assert "are on" in texts(await core.run("branches"))
    assert "create no branches in octo/dslp" in texts(await core.run("branches off"))
    assert "off already" in texts(await core.run("branches off"))
    assert "takes `on` or `off`" in texts(await core.run("branches maybe"))
    ask = core.ask()
    number = await open_experiment(core, ask)
    assert core.issue(number).linked_branches == [] and mutations(core) == 0
    assert sub_issue_numbers(core, ask) == [number]
    assert "gets its DSLP branch" in texts(await core.run("branches on"))


async def test_failed_closes_its_pull_request_with_the_tldr_and_logs_it_in_the_ask(
    core: Core,
) -> None:
    ask = core.ask()
    good = await open_experiment(core, ask)
    bad = await open_experiment(core, ask)
    pull = core.fake.add_pull(head=f"experiment/{bad}-churn-gbm-baseline", title="GBM baseline")
    other = core.fake.add_pull(head="feature/unrelated")
    await core.run(f"experiment {good} succeeded Recall 0.61 vs 0.2")
    text = texts(await core.run(f"experiment {bad} failed No signal <b>beyond</b> the rules"))

    assert f"pull request #{pull.number} is closed unmerged" in text
    assert pull.state == "closed" and other.state == "open"
    closing = pull.comments[-1].body
    assert "***TLDR:*** No signal &lt;b&gt;beyond&lt;/b&gt; the rules" in closing
    assert "by Zoë from Slack" in closing
    assert core.issue(bad).state == "closed"
    links = parse_ask("", core.issue(ask).body).links[LinkSection.EXPERIMENTS]
    assert [(link.number, link.status, link.tldr) for link in links] == [
        (good, "succeeded", "Recall 0.61 vs 0.2"),
        (bad, "failed", "No signal <b>beyond</b> the rules"),
    ]  # successes first, each with its TLDR
    again = texts(await core.run(f"experiment {bad} failed Again"))
    assert "is closed" in again and len(pull.comments) == 1


async def test_failed_without_a_tldr_changes_nothing(core: Core) -> None:
    ask = core.ask()
    bad = await open_experiment(core, ask)
    pull = core.fake.add_pull(head=f"experiment/{bad}-churn-gbm-baseline")
    assert "TLDR is required" in texts(await core.run(f"experiment {bad} failed"))
    assert pull.state == "open" and core.issue(bad).state == "open"


async def test_the_model_retargets_the_experiment_pull_request_and_offers_to_close(
    core: Core,
) -> None:
    ask = core.ask()
    experiment = await open_experiment(core, ask)
    pull = core.fake.add_pull(head=f"experiment/{experiment}-churn-gbm-baseline")
    await core.run(f"experiment {experiment} succeeded Recall 0.61 vs 0.2 for the rules")
    model, sent = await open_model(core, experiment)

    branch = f"model/{model}-churn-gbm-baseline"
    assert sub_issue_numbers(core, ask) == [experiment, model]
    assert core.issue(model).linked_branches == [branch]
    assert pull.base == branch and pull.state == "open"
    assert f"Retargeted to `{branch}` for Model #{model}" in pull.comments[-1].body
    offer = [reply for reply in sent if isinstance(reply, Say) and reply.choices]
    assert offer and offer[-1].choices[0].value == f"experiment {experiment} close"
    assert "Closed experiment" in texts(await core.run(offer[-1].choices[0].value))
    assert core.issue(experiment).state == "closed"
    assert "closed already" in texts(await core.run(f"experiment {experiment} close"))
    closing = [c.body for c in core.issue(experiment).comments if "Closed as completed" in c.body]
    assert len(closing) == 1 and "by Zoë from Slack" in closing[0]


async def test_a_model_without_its_branch_leaves_the_pull_request_and_says_so(core: Core) -> None:
    ask = core.ask()
    experiment = await open_experiment(core, ask)
    pull = core.fake.add_pull(head=f"experiment/{experiment}-churn-gbm-baseline")
    await core.run(f"experiment {experiment} succeeded Works")
    await core.run("branches off")
    _, sent = await open_model(core, experiment)
    assert pull.base == "main"
    assert "has no branch to move it to" in texts([r for r in sent if isinstance(r, ShowFiled)])


async def test_on_hold_until_a_day_and_bad_days(core: Core) -> None:
    ask = core.ask()
    number = await open_experiment(core, ask)
    bad = texts(await core.run(f"experiment {number} on-hold until 15/01/2027 Waiting"))
    assert "is not a day" in bad and "YYYY-MM-DD" in bad
    assert "not after today" in texts(
        await core.run(f"experiment {number} on-hold until 2020-01-01 x")
    )
    assert core.issue(number).labels == ["Experiment"]  # nothing changed
    text = texts(
        await core.run(f"experiment {number} on-hold until 2999-01-15 Waiting for Q3 data")
    )
    assert "out of digests until 2999-01-15" in text
    body = core.issue(number).body
    assert hold_of(body) == date(2999, 1, 15) and tldr_of(body) == "Waiting for Q3 data"
    await core.run(f"experiment {number} succeeded It came back")
    assert hold_of(core.issue(number).body) is None  # any later outcome ends the hold


async def test_new_work_goes_to_the_channels_project_in_its_phase(core: Core) -> None:
    phases = ("Ask", "Data", "Explore", "Experiment", "Model", "Deploy")
    project = core.fake.add_project("octo", 5, options=phases)
    assert "goes to no Project" in texts(await core.run("project"))
    assert "is not a Project" in texts(await core.run("project octo/dslp"))
    assert "now goes to Project octo/5" in texts(await core.run("project octo/5"))
    ask = core.ask()
    number = await open_experiment(core, ask)
    content = core.fake.node_id(number)
    assert project.phase_of(content) == "Experiment"
    assert "added to Project octo/5 with Status Experiment" in core.issue(number).comments[0].body
    issue = await core.tracker.get_issue(number=number)
    assert issue is not None
    await core.playbook.new_work(
        core.tracker, issue=issue, ask=ask, branch="", actor=ZOE, phase="Experiment"
    )
    assert list(project.items) == [content]  # added once, whatever runs again
    assert "no Project of its own" in texts(await core.run("project off"))


async def test_only_a_project_of_the_repositorys_own_owner_is_taken(core: Core) -> None:
    """Write access to octo/dslp is no say over who reads its issues: elsewhere's Project is
    refused and never stored; a value stored before this rule is not used either."""
    elsewhere = core.fake.add_project("elsewhere", 5, options=("Experiment",))
    refused = texts(await core.run("project elsewhere/5"))
    assert refused == (
        "Project elsewhere/5 is not octo/dslp's owner's, so I left things as they were: "
        "a repository's issues go only to a Project of the same owner."
    )
    for junk in ("elsewhere", "octo/5/6", "../5", "<!channel>/5", "\ue000U1\ue001/5"):
        assert "is not a Project" in texts(await core.run(f"project {junk}"))
    assert "goes to no Project. Usage" in texts(await core.run("project")), "nothing stored"
    assert "\ue000" not in texts(await core.run("project \ue000U1\ue001/5"))
    assert "now goes to Project OCTO/5" in texts(await core.run("project OCTO/5"))
    assert "goes to Project OCTO/5" in texts(await core.run("project"))
    assert await core.playbook.project_of("octo/dslp") == ProjectRef("OCTO", 5)
    await core.playbook_store.set_project(
        repository="octo/dslp", project="elsewhere/5", by="before"
    )
    assert "goes to no Project: elsewhere/5 is another owner's" in texts(await core.run("project"))
    assert await core.playbook.project_of("octo/dslp") is None
    number = await open_experiment(core, core.ask())
    assert not elsewhere.items and "Project" not in core.issue(number).comments[0].body


async def test_a_project_the_token_cannot_see_is_said_and_the_rest_works(core: Core) -> None:
    await core.run("project octo/404")
    ask = core.ask()
    await core.run(f"experiment {ask}")
    sent = await core.answer_all(*EXPERIMENT_ANSWERS)
    assert "cannot see Project octo/404" in texts(sent)
    assert len(sub_issue_numbers(core, ask)) == 1


async def test_a_step_the_bots_token_takes_for_a_verified_person_names_their_login(
    core: Core,
) -> None:
    experiment = await open_experiment(core, core.ask())
    issue = await core.tracker.get_issue(number=experiment)
    assert issue is not None
    verified = Actor("Zoë", "slack", login="zoe-gh")
    await core.playbook.close_experiment(core.tracker, issue=issue, actor=verified)
    closing = [c.body for c in core.issue(experiment).comments if "Closed as completed" in c.body]
    assert closing == ["Closed as completed: its work continues in a Model issue, "
                       "by Zoë (@\u200bzoe-gh, verified) from Slack."]  # fmt: skip
