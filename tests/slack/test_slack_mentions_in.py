"""Slack's mention syntax becomes the core's tokens, so `role add` reads people and groups."""

from __future__ import annotations

from adapters.slack.mentions_in import tokens_from_slack
from bot.mentions import mention
from bot.people.commands import read_members


def test_people_and_groups_become_member_keys() -> None:
    text = tokens_from_slack("ml-engineer <@U1|ana> <@W2> <!subteam^S3|@ml-team> <!channel>", "T1")
    assert text.startswith("ml-engineer ")
    assert mention("slack:T1:U1") in text and mention("slack:T1:group:S3") in text
    members, bad = read_members(text.removeprefix("ml-engineer"))
    assert (members, bad) == (["slack:T1:U1", "slack:T1:W2", "slack:T1:group:S3"], "")
