"""`experiment <#> succeeded|failed|on-hold <TLDR>` and the guided outcome flow, end to end."""

from __future__ import annotations

import pytest

from bot.linked.outcomes import Recorded, record_outcome
from bot.render import LinkSection, parse_ask
from bot.render.references import tldr_of
from bot.types import Say
from tests.linked.conftest import HAND_WRITTEN, PERSON, PLACE, Core, texts
from tests.linked.test_open_linked_work import open_experiment


def listed(core: Core, ask: int) -> list[tuple[int, str]]:
    links = parse_ask("", core.issue(ask).body).links[LinkSection.EXPERIMENTS]
    return [(link.number, link.status) for link in links]


async def test_succeeded_labels_writes_tldr_comments_and_offers_the_model(core: Core) -> None:
    ask = core.ask()
    first = await open_experiment(core, ask)
    second = await open_experiment(core, ask)
    replies = await core.run(f"experiment {second} Succeeded Recall 0.61 @bob vs 0.2 <b>rules</b>")

    issue = core.issue(second)
    assert sorted(issue.labels) == ["Experiment", "succeeded"]
    assert tldr_of(issue.body) == "Recall 0.61 @\u200bbob vs 0.2 &lt;b&gt;rules&lt;/b&gt;"
    assert issue.body.count("***TLDR:***") == 1
    assert issue.state == "open"
    assert len(issue.comments) == 2  # the playbook's (sub-issue, branch), then the outcome's
    assert "Outcome: succeeded" in issue.comments[-1].body
    assert "recorded from chat by Zoë" in issue.comments[-1].body
    assert listed(core, ask) == [(second, "succeeded"), (first, "open")]  # succeeded first
    assert HAND_WRITTEN in core.issue(ask).body

    say = replies[-1]
    assert isinstance(say, Say)
    assert say.choices[0].value == f"model octo/dslp#{second}"
    assert say.choices[1].url.endswith(f"/issues/{second}")
    stored = await core.links.get(repository="octo/dslp", number=second)
    assert stored is not None and stored.status == "succeeded"


async def test_failed_closes_and_a_later_outcome_is_refused(core: Core) -> None:
    ask = core.ask()
    number = await open_experiment(core, ask)
    text = texts(await core.run(f"experiment {number} failed No signal beyond the rules"))
    assert "closed" in text
    issue = core.issue(number)
    assert issue.state == "closed" and "failed" in issue.labels
    assert listed(core, ask) == [(number, "failed")]
    again = texts(await core.run(f"experiment {number} succeeded Actually fine"))
    assert "is closed" in again


@pytest.mark.parametrize("words", ["on-hold", "on hold", "ONHOLD", "On_Hold"])
async def test_on_hold_spellings_replace_the_other_outcome_labels(core: Core, words: str) -> None:
    ask = core.ask()
    number = await open_experiment(core, ask)
    core.issue(number).labels.append("Succeeded")  # set by hand, in another case
    await core.run(f"experiment {number} {words} Paused for the reorg")
    assert sorted(core.issue(number).labels) == ["Experiment", "on hold"]
    assert tldr_of(core.issue(number).body) == "Paused for the reorg"


async def test_a_second_outcome_replaces_the_tldr_line(core: Core) -> None:
    ask = core.ask()
    number = await open_experiment(core, ask)
    await core.run(f"experiment {number} on-hold Paused")
    await core.run(f"experiment {number} succeeded Works after all")
    body = core.issue(number).body
    assert body.count("***TLDR:***") == 1 and tldr_of(body) == "Works after all"
    assert listed(core, ask) == [(number, "succeeded")]


async def test_bad_outcome_input(core: Core) -> None:
    ask = core.ask()
    number = await open_experiment(core, ask)
    assert "TLDR is required" in texts(await core.run(f"experiment {number} failed"))
    assert "TLDR is required" in texts(await core.run(f"experiment {number} on hold   "))
    assert "not an outcome" in texts(await core.run(f"experiment {number} great It worked"))
    assert "characters" in texts(await core.run(f"experiment {number} failed {'x' * 1001}"))
    assert core.issue(number).labels == ["Experiment"]
    assert not any("Outcome" in comment.body for comment in core.issue(number).comments)


async def test_outcome_of_a_non_experiment_is_refused_by_the_core(core: Core) -> None:
    """What a digest button reaches directly: the same checks as the command."""
    ask = core.ask()
    result = await record_outcome(
        core.tracker, core.links, number=ask, outcome="on-hold", tldr="From the digest"
    )
    assert result.status is Recorded.NOT_EXPERIMENT
    missing = await record_outcome(core.tracker, core.links, number=404, outcome="failed", tldr="x")
    assert missing.status is Recorded.NOT_FOUND


async def test_the_verified_login_the_bots_token_writes_for_is_named_and_escaped(
    core: Core,
) -> None:
    """A login is shown as text in GitHub Markdown, never read as a link or emphasis."""
    number = await open_experiment(core, core.ask())
    result = await record_outcome(
        core.tracker,
        core.links,
        number=number,
        outcome="failed",
        tldr="No signal",
        by="Zoë",
        platform="slack",
        login="zoe-gh<!-- x --> @admin",
    )
    assert result.status is Recorded.RECORDED
    comment = core.issue(number).comments[-1].body
    shown = "@\u200bzoe-gh&lt;!-- x --&gt; @\u200badmin"
    assert f"recorded from Slack by Zoë ({shown}, verified)" in comment, "nobody is mentioned"


async def test_experiment_without_outcome_starts_the_outcome_flow(core: Core) -> None:
    """The digest's "Add TLDR" button sends `experiment <#>`."""
    ask = core.ask()
    number = await open_experiment(core, ask)
    start = (await core.run(f"experiment {number}"))[-1]
    assert isinstance(start, Say)
    assert [c.value for c in start.choices] == ["succeeded", "failed", "on hold"]
    assert "must be one of" in texts(await core.say("maybe"))
    await core.say("On-Hold")
    await core.say("Waiting for Q3 data")
    assert f"Experiment #{number} Churn GBM baseline: on hold" in texts(await core.say("preview"))
    await core.say("submit")
    sent = texts(core.outbox.sent[-1][1])
    assert "Recorded" in sent
    assert sorted(core.issue(number).labels) == ["Experiment", "on hold"]
    assert tldr_of(core.issue(number).body) == "Waiting for Q3 data"
    assert len(core.fake.issues()) == 2  # the Ask and the experiment: nothing new filed


async def test_outcome_flow_in_form_style(core: Core) -> None:
    ask = core.ask()
    number = await open_experiment(core, ask)
    form = await core.linked.form(person=PERSON, place=PLACE, text=f"experiment {number}")
    assert not isinstance(form, list)
    assert form.fields[0].options == (
        ("succeeded", "Succeeded"),
        ("failed", "Failed"),
        ("on hold", "On hold"),
    )
    conversations = core.commands.conversations
    bad = await conversations.submit_form(
        person=PERSON, draft_id=form.draft_id, values={"outcome": "meh", "tldr": "x"}
    )
    assert bad is not None and "outcome" in bad.errors
    good = await conversations.submit_form(
        person=PERSON, draft_id=form.draft_id, values={"outcome": "failed", "tldr": "No lift"}
    )
    assert good is not None and good.ok
    await conversations.confirm(person=PERSON, place=PLACE, draft_id=form.draft_id)
    assert core.issue(number).state == "closed"
    assert listed(core, ask) == [(number, "failed")]


async def test_outcome_flow_for_a_closed_experiment_is_refused_up_front(core: Core) -> None:
    ask = core.ask()
    number = await open_experiment(core, ask)
    await core.run(f"experiment {number} failed No lift")
    assert "is closed" in texts(await core.run(f"experiment {number}"))
