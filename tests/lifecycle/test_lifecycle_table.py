"""Every row of the notification table, end to end: a signed webhook in, chat messages out.

Roles are reached by a mention in the subscribed Slack channel when they are
on Slack, and by a Teams DM when no Teams channel is subscribed; the
requester hears in the Ask's original Slack thread.
"""

from __future__ import annotations

from tests.fakes.github_api import FakeGitHub
from tests.lifecycle.conftest import (
    ASK,
    ASK_THREAD,
    ASSIGNEE,
    CHANNEL,
    DATA_ENGINEER,
    DATA_SCIENTIST,
    DEVOPS,
    IT,
    ML_GROUP,
    ML_TEAMS,
    REQUESTER,
    Bot,
    mentioned,
    teams_dm,
)
from tests.support.webhooks import issue_payload, merged_pull_payload

REF = f"***Ask Reference:*** #{ASK}"
ASK_URL = "https://github.com/octo/dslp/issues/1"


async def test_ask_opened_tells_the_channel_and_the_data_scientists(bot: Bot) -> None:
    payload = issue_payload("opened", number=ASK, title="Predict churn", labels=("Ask",))
    status, answer = await bot.post("issues", payload)
    assert (status, answer["recorded"]) == (202, True)
    told = bot.told()
    assert list(told) == [CHANNEL]
    [say] = told[CHANNEL]
    assert mentioned(say) == [DATA_SCIENTIST]
    assert "New Ask #1 “Predict churn”" in say.text and ASK_URL in say.text
    assert "Next DSLP step:" in say.text and "`data 1`" in say.text


async def test_data_opened_tells_data_engineers_and_the_requester_in_their_thread(
    bot: Bot,
) -> None:
    body = f"## Dataset Description\n{REF}\n"
    payload = issue_payload("opened", number=2, body=body, labels=("Data",), repository="Octo/DSLP")
    await bot.post("issues", payload)
    told = bot.told()
    assert set(told) == {CHANNEL, ASK_THREAD}
    assert mentioned(told[CHANNEL][0]) == [DATA_ENGINEER]
    assert mentioned(told[ASK_THREAD][0]) == [REQUESTER]
    thread_text = told[ASK_THREAD][0].text
    assert "Data issue #2" in thread_text and "\n" not in thread_text  # one line, in their thread
    assert f"Ask: #1 Predict churn {ASK_URL}" in told[CHANNEL][0].text
    filed = await bot.app.asks.by_number(repository="octo/dslp", number=ASK)
    assert filed is not None and filed.phase == "Data"


async def test_blocked_need_access_tells_it_data_engineers_and_the_assignees(bot: Bot) -> None:
    payload = issue_payload(
        "labeled",
        number=2,
        body=REF,
        labels=("Data", "blocked - need access"),
        label="Blocked - Need Access",
        assignees=("ANA-GH", "nobody-linked"),
    )
    await bot.post("issues", payload)
    told = bot.told()
    assert list(told) == [CHANNEL]
    assert mentioned(told[CHANNEL][0]) == [IT, DATA_ENGINEER, ASSIGNEE]
    assert "is blocked" in told[CHANNEL][0].text


async def test_removing_the_block_tells_data_engineers_and_assignees(bot: Bot) -> None:
    payload = issue_payload(
        "unlabeled",
        number=2,
        body=REF,
        labels=("Data",),
        label="blocked - need access",
        assignees=("ana-gh",),
    )
    await bot.post("issues", payload)
    assert mentioned(bot.told()[CHANNEL][0]) == [DATA_ENGINEER, ASSIGNEE]


async def test_other_unlabels_tell_nobody(bot: Bot) -> None:
    payload = issue_payload("unlabeled", number=3, body=REF, labels=("Experiment",), label="bug")
    status, answer = await bot.post("issues", payload)
    assert (status, answer["recorded"]) == (202, True)
    assert await bot.notifications.journal.counts() == {}, "no notification queued"
    assert bot.told() == {}


async def test_the_requester_hears_only_the_first_work_started_on_their_ask(
    bot: Bot,
) -> None:
    await bot.post("issues", issue_payload("opened", number=3, body=REF, labels=("Explore",)))
    await bot.post("issues", issue_payload("opened", number=4, body=REF, labels=("Experiment",)))
    told = bot.told()
    assert list(told) == [ASK_THREAD]
    (first,) = told[ASK_THREAD]
    assert "Work has started: Explore #3" in first.text and "\n" not in first.text
    assert ("Mute this Ask", f"mute octo/dslp#{ASK}") in [(c.label, c.value) for c in first.choices]
    filed = await bot.app.asks.by_number(repository="octo/dslp", number=ASK)
    assert filed is not None and filed.phase == "Experiment"


async def test_experiment_succeeded_tells_ml_engineers_and_the_requester_with_tldr_and_model_button(
    bot: Bot,
) -> None:
    body = f"{REF}\n## Results\n***TLDR:*** GBM beats the baseline by 4 points of recall.\n"
    payload = issue_payload(
        "labeled", number=4, body=body, labels=("Experiment", "Succeeded"), label="Succeeded"
    )
    await bot.post("issues", payload)
    told = bot.told()
    assert set(told) == {CHANNEL, teams_dm("uml"), ASK_THREAD}
    assert mentioned(told[CHANNEL][0]) == [ML_GROUP]
    assert mentioned(told[teams_dm("uml")][0]) == []
    thread = told[ASK_THREAD][0]
    assert mentioned(thread) == [REQUESTER]
    assert "Experiment #4" in thread.text and "succeeded" in thread.text
    assert "TLDR: GBM beats the baseline by 4 points of recall." in thread.text
    assert [(c.label, c.value) for c in thread.choices] == [
        ("Open the Model issue", "model octo/dslp#4"),
        ("Mute this Ask", f"mute octo/dslp#{ASK}"),
    ]
    assert ML_TEAMS.endswith("uml")


async def test_experiment_failed_tells_the_requester_with_tldr_and_the_data_scientists(
    bot: Bot,
) -> None:
    body = f"{REF}\n***TLDR:*** Not enough signal in the usage logs.\n"
    labeled = issue_payload(
        "labeled", number=5, body=body, labels=("Experiment", "failed"), label="FAILED"
    )
    await bot.post("issues", labeled)
    closed = issue_payload("closed", number=5, body=body, labels=("Experiment", "failed"))
    await bot.post("issues", closed)
    told = bot.told()
    assert set(told) == {ASK_THREAD, CHANNEL}, "labelled failed, then closed: told once"
    assert len(told[ASK_THREAD]) == 1
    assert "TLDR: Not enough signal in the usage logs." in told[ASK_THREAD][0].text
    assert mentioned(told[CHANNEL][0]) == [DATA_SCIENTIST]


async def test_experiment_closed_without_succeeded_counts_as_failed(bot: Bot) -> None:
    payload = issue_payload("closed", number=6, body=REF, labels=("Experiment",))
    await bot.post("issues", payload)
    told = bot.told()
    assert "closed without succeeding" in told[ASK_THREAD][0].text
    assert "TLDR: none written yet." in told[ASK_THREAD][0].text
    assert mentioned(told[CHANNEL][0]) == [DATA_SCIENTIST]


async def test_a_succeeded_experiment_closed_tells_nobody_again(bot: Bot) -> None:
    payload = issue_payload("closed", number=7, body=REF, labels=("Experiment", "succeeded"))
    await bot.post("issues", payload)
    assert bot.told() == {}


async def test_model_opened_tells_ml_engineers_devops_and_the_requester(bot: Bot) -> None:
    body = f"{REF}\n***Based on Experiment:*** #4\n"
    await bot.post("issues", issue_payload("opened", number=8, body=body, labels=("Model",)))
    told = bot.told()
    assert set(told) == {CHANNEL, teams_dm("uml"), teams_dm("udev"), ASK_THREAD}
    assert "Model issue #8" in told[ASK_THREAD][0].text
    assert mentioned(told[CHANNEL][0]) == [ML_GROUP]
    assert "Model issue #8" in told[teams_dm("udev")][0].text
    assert DEVOPS.endswith("udev")


async def test_model_labelled_deploy_tells_devops_and_the_requester(bot: Bot) -> None:
    payload = issue_payload(
        "labeled", number=8, body=REF, labels=("Model", "deploy"), label="deploy"
    )
    await bot.post("issues", payload)
    told = bot.told()
    assert set(told) == {teams_dm("udev"), ASK_THREAD}
    assert "ready to deploy" in told[ASK_THREAD][0].text
    filed = await bot.app.asks.by_number(repository="octo/dslp", number=ASK)
    assert filed is not None and filed.phase == "Deploy"


async def test_merged_model_branch_tells_devops_and_the_channel(bot: Bot) -> None:
    model = issue_payload(
        "opened", number=8, title="Implement churn model", body=REF, labels=("Model",)
    )
    await bot.post("issues", model)
    bot.clear()
    pull = merged_pull_payload(number=9, branch="model/8-churn-gbm")
    await bot.post("pull_request", pull)
    told = bot.told()
    assert set(told) == {teams_dm("udev"), CHANNEL}
    text = told[CHANNEL][0].text
    assert mentioned(told[CHANNEL][0]) == []
    assert "`model/8-churn-gbm` was merged" in text
    assert "Model issue: #8 Implement churn model" in text and "Ask: #1 Predict churn" in text


async def test_a_merged_model_branch_whose_issue_was_never_seen_is_looked_up_in_github(
    bot: Bot, fake_github: FakeGitHub
) -> None:
    for number in range(1, 12):
        fake_github.add_issue(title=f"Issue {number}")
    fake_github.add_issue(title="Implement churn model", body=REF, labels=["Model"])
    await bot.post("pull_request", merged_pull_payload(number=13, branch="model/12-churn"))
    text = bot.told()[CHANNEL][0].text
    assert "Model issue: #12 Implement churn model" in text and "Ask: #1" in text


async def test_unmerged_or_other_branches_tell_nobody(bot: Bot) -> None:
    await bot.post("pull_request", merged_pull_payload(number=9, branch="model/8-x", merged=False))
    await bot.post("pull_request", merged_pull_payload(number=10, branch="experiment/4-gbm"))
    assert bot.told() == {}


async def test_ask_closed_tells_the_requester_and_everyone_told_about_it(bot: Bot) -> None:
    await bot.post("issues", issue_payload("opened", number=2, body=REF, labels=("Data",)))
    await bot.post("issues", issue_payload("opened", number=8, body=REF, labels=("Model",)))
    bot.clear()
    closed = issue_payload("closed", number=ASK, title="Predict churn", labels=("Ask",))
    await bot.post("issues", closed)
    told = bot.told()
    assert set(told) == {ASK_THREAD, CHANNEL, teams_dm("uml"), teams_dm("udev")}
    assert all("Ask #1 “Predict churn” was closed" in says[0].text for says in told.values())
    assert mentioned(told[ASK_THREAD][0]) == [REQUESTER]
