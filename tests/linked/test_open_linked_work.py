"""Opening Data, Explore, Experiment and Model issues from chat, end to end.

Through Commands as adapters call it, the real GitHubTracker against
FakeGitHub, and SQLite: what was filed, what the Ask now lists, and that
every hand-written line of the Ask is still there.
"""

from __future__ import annotations

import re

from bot.linked.filing import LinkedFiling
from bot.linked.kinds import KINDS
from bot.render import LinkSection, parse_ask
from bot.render.references import ask_reference, branch_of, experiment_reference
from bot.repositories.service import FixedRegistry, RegistryTrackers
from bot.types import ShowFiled
from tests.linked.conftest import HAND_WRITTEN, PERSON, PLACE, Core, texts

EXPERIMENT_ANSWERS = (
    "Churn GBM baseline",
    "Gradient boosted trees on usage features.",
    "Recall at 10% >= 0.5, vs 0.2 for the rules",
    "skip",
    "skip",
)


async def open_experiment(core: Core, ask: int) -> int:
    await core.run(f"experiment {ask}")
    sent = await core.answer_all(*EXPERIMENT_ANSWERS)
    filed = next(reply for reply in sent if isinstance(reply, ShowFiled))
    return filed.number


async def test_experiment_for_an_ask_is_filed_linked_and_listed(core: Core) -> None:
    ask = core.ask()
    start = texts(await core.run(f"experiment #{ask}"))
    assert f"Ask #{ask}" in start and "Title" in start
    sent = await core.answer_all(*EXPERIMENT_ANSWERS)

    filed = next(reply for reply in sent if isinstance(reply, ShowFiled))
    issue = core.issue(filed.number)
    assert issue.labels == ["Experiment"]
    assert issue.title == "Churn GBM baseline"
    branch = f"experiment/{filed.number}-churn-gbm-baseline"
    assert branch_of(issue.body) == branch
    assert f"`{branch}`" in filed.summary
    assert ask_reference(issue.body) == ask
    assert issue.body.index("## Description") < issue.body.index("***Ask Reference:***")
    for heading in ("## Metrics", "## Assumptions", "## Results", "***Related PR:***"):
        assert heading in issue.body
    assert "***TLDR:***" in issue.body

    ask_body = core.issue(ask).body
    assert HAND_WRITTEN in ask_body
    listed = parse_ask("", ask_body).links[LinkSection.EXPERIMENTS]
    assert [(link.number, link.status) for link in listed] == [(filed.number, "open")]

    stored = await core.links.get(repository="octo/dslp", number=filed.number)
    assert stored is not None
    assert (stored.kind, stored.ask_number, stored.branch) == ("Experiment", ask, branch)


async def test_the_after_filed_step_is_idempotent(core: Core) -> None:
    """A retried filing (crash after GitHub created the issue) edits nothing twice."""
    ask = core.ask()
    number = await open_experiment(core, ask)
    ask_body, issue_body = core.issue(ask).body, core.issue(number).body
    draft_id = re.search(r"draft=(\S+) v=", issue_body)
    assert draft_id is not None
    draft = await core.drafts.get(draft_id=draft_id.group(1))
    assert draft is not None
    trackers = RegistryTrackers(FixedRegistry(core.tracker.repository), lambda _: core.tracker)
    hook = LinkedFiling(trackers=trackers, links=core.links, kinds=KINDS)
    issue = await core.tracker.get_issue(number=number)
    assert issue is not None
    edits_before = core.fake.count("PATCH", r"/repos/octo/dslp/issues/\d+")
    await hook.after_filed(draft, issue)
    assert core.fake.count("PATCH", r"/repos/octo/dslp/issues/\d+") == edits_before
    assert (core.issue(ask).body, core.issue(number).body) == (ask_body, issue_body)


async def test_data_creation_with_the_kind_given_in_the_command(core: Core) -> None:
    ask = core.ask()
    replies = texts(await core.run(f"data {ask} create"))
    assert "Dataset name" in replies
    sent = await core.answer_all(
        "CRM accounts", "40k rows since 2021", "Salesforce Account table", "skip", "skip"
    )
    filed = next(reply for reply in sent if isinstance(reply, ShowFiled))
    issue = core.issue(filed.number)
    assert issue.title == "Create CRM accounts Dataset"
    assert issue.labels == ["Data"]
    for heading in ("# Dataset Name", "## Dataset Description", "## Parent Sources",
                    "## Reference", "## Known Issues"):  # fmt: skip
        assert heading in issue.body
    assert branch_of(issue.body) == f"data/{filed.number}-crm-accounts"
    listed = parse_ask("", core.issue(ask).body).links[LinkSection.DATASETS]
    assert [link.number for link in listed] == [filed.number]


async def test_data_acquisition_chosen_by_button(core: Core) -> None:
    ask = core.ask()
    start = (await core.run(f"data {ask}"))[-1]
    assert [choice.value for choice in start.choices][:2] == ["get", "create"]  # type: ignore[union-attr]
    sent = await core.answer_all("get", "CRM", "All accounts", "Salesforce", "skip", "skip")
    filed = next(reply for reply in sent if isinstance(reply, ShowFiled))
    assert core.issue(filed.number).title == "Get CRM Dataset"
    assert "## Source system" in core.issue(filed.number).body


async def test_explore_through_the_form_style(core: Core) -> None:
    """What a Slack modal or a Teams card does: form, submit_form, confirm."""
    ask = core.ask()
    form = await core.linked.form(person=PERSON, place=PLACE, text=f"explore {ask}")
    assert not isinstance(form, list)
    assert [f.key for f in form.fields] == ["title", "overview", "goals", "timebox"]
    conversations = core.commands.conversations
    values = {"title": "Usage before churn", "overview": "Usage logs, 6 months.",
              "goals": "- Does usage drop?\n- How early?", "timebox": "3 days"}  # fmt: skip
    result = await conversations.submit_form(person=PERSON, draft_id=form.draft_id, values=values)
    assert result is not None and result.ok
    await conversations.confirm(person=PERSON, place=PLACE, draft_id=form.draft_id)
    filed = next(r for r in core.outbox.sent[-1][1] if isinstance(r, ShowFiled))
    body = core.issue(filed.number).body
    assert "- [ ] Does usage drop?\n- [ ] How early?" in body
    assert "## What was discovered during this exploration?" in body and "## Next Steps" in body
    listed = parse_ask("", core.issue(ask).body).links[LinkSection.EXPLORATIONS]
    assert [link.number for link in listed] == [filed.number]


async def test_model_from_a_succeeded_experiment_is_prefilled(core: Core) -> None:
    ask = core.ask()
    experiment = await open_experiment(core, ask)
    await core.run(f"experiment {experiment} succeeded Recall 0.61 vs 0.2 for the rules")
    start = texts(await core.run(f"model {experiment}"))
    assert "Current answer: Churn GBM baseline" in start
    assert "Note" not in start  # succeeded: no warning
    sent = await core.answer_all("keep", "keep")
    filed = next(reply for reply in sent if isinstance(reply, ShowFiled))
    issue = core.issue(filed.number)
    assert issue.title == "Implement Churn GBM baseline model"
    assert issue.labels == ["Model"]
    assert ask_reference(issue.body) == ask
    assert experiment_reference(issue.body) == experiment
    assert (
        "Recall 0.61" in issue.body and "- [ ] Write the release and retraining plan" in issue.body
    )
    assert branch_of(issue.body) == f"model/{filed.number}-churn-gbm-baseline"
    stored = await core.links.get(repository="octo/dslp", number=filed.number)
    assert stored is not None and stored.experiment_number == experiment


async def test_model_for_an_experiment_not_succeeded_warns(core: Core) -> None:
    ask = core.ask()
    experiment = await open_experiment(core, ask)
    replies = texts(await core.run(f"model {experiment}"))
    assert "not labelled succeeded" in replies


async def test_bad_references_are_refused_before_any_question(core: Core) -> None:
    ask = core.ask()
    other = core.fake.add_issue(title="Fix the CI", body="", labels=["bug"]).number
    assert "Which issue?" in texts(await core.run("data"))
    assert "is not an issue number" in texts(await core.run("explore abc"))
    assert "no issue #999" in texts(await core.run("data 999"))
    assert "is not an Ask" in texts(await core.run(f"data {other}"))
    assert "neither an Ask nor an Experiment" in texts(await core.run(f"experiment {other}"))
    assert "is not an Experiment" in texts(await core.run(f"model {ask}"))
    assert await core.drafts.list_open(owner="slack:T1:U1") == []


async def test_ask_label_in_another_case_is_accepted(core: Core) -> None:
    number = core.fake.add_issue(title="Lower case", body="", labels=["ask"]).number
    assert "Title" in texts(await core.run(f"explore {number}"))


async def test_another_open_draft_for_another_ask_is_not_resumed_silently(core: Core) -> None:
    first, second = core.ask(), core.ask(title="Another")
    await core.run(f"experiment {first}")
    replies = texts(await core.run(f"experiment {second}"))
    assert f"for #{first}" in replies and f"again for #{second}" in replies


async def test_the_form_style_does_not_reuse_a_draft_for_another_ask_either(core: Core) -> None:
    first, second = core.ask(), core.ask(title="Another")
    opened = await core.linked.form(person=PERSON, place=PLACE, text=f"explore {first}")
    assert not isinstance(opened, list)
    refused = await core.linked.form(person=PERSON, place=PLACE, text=f"explore {second}")
    assert isinstance(refused, list)
    assert f"for #{first}" in texts(refused)
