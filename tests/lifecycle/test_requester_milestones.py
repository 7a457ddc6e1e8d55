"""The person who filed the Ask hears each milestone once, in their thread, and can mute it."""

from __future__ import annotations

from bot.types import Person
from tests.lifecycle.conftest import ASK, ASK_THREAD, Bot, T
from tests.support.webhooks import issue_payload

REF = f"***Ask Reference:*** #{ASK}"
RITA = Person("slack", "UREQ", T, "Rita")
BEN = Person("slack", "UBEN", T, "Ben")


async def test_a_model_closed_as_completed_is_deployed_once(bot: Bot) -> None:
    labelled = issue_payload(
        "labeled", number=8, body=REF, labels=("Model", "Deploy"), label="Deploy"
    )
    await bot.post("issues", labelled)
    closed = issue_payload("closed", number=8, body=REF, labels=("Model", "Deploy"))
    closed["issue"]["state_reason"] = "completed"
    await bot.post("issues", closed)
    assert len(bot.told()[ASK_THREAD]) == 1


async def test_a_model_closed_as_completed_without_the_label_counts_as_deployed(bot: Bot) -> None:
    closed = issue_payload("closed", number=8, body=REF, labels=("Model",))
    closed["issue"]["state_reason"] = "completed"
    await bot.post("issues", closed)
    assert "ready to deploy" in bot.told()[ASK_THREAD][0].text
    not_planned = issue_payload("closed", number=9, body=REF, labels=("Model",))
    not_planned["issue"]["state_reason"] = "not_planned"
    bot.clear()
    await bot.post("issues", not_planned)
    assert bot.told() == {}


async def test_edits_and_label_churn_tell_the_requester_nothing(bot: Bot) -> None:
    for action, label in (("edited", ""), ("labeled", "Communicate"), ("unlabeled", "Communicate")):
        payload = issue_payload(action, number=4, body=REF, labels=("Experiment",), label=label)
        await bot.post("issues", payload)
    assert ASK_THREAD not in bot.told()


async def test_mute_is_for_the_requester_alone_and_silences_the_ask(bot: Bot) -> None:
    commands = bot.app.commands
    refused = await commands.run(person=BEN, place=ASK_THREAD, text=f"mute octo/dslp#{ASK}")
    assert "not an Ask you filed" in refused[0].text  # type: ignore[union-attr]
    muted = await commands.run(person=RITA, place=ASK_THREAD, text=f"mute octo/dslp#{ASK}")
    assert "Muted Ask #1" in muted[0].text  # type: ignore[union-attr]
    opened = issue_payload("opened", number=3, body=REF, labels=("Explore",))
    await bot.post("issues", opened)
    assert ASK_THREAD not in bot.told()
    await commands.run(person=RITA, place=ASK_THREAD, text=f"unmute #{ASK}")
    await bot.post("issues", issue_payload("opened", number=8, body=REF, labels=("Model",)))
    assert "Model issue #8" in bot.told()[ASK_THREAD][0].text
