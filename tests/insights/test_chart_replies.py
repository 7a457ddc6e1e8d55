"""A chart reply on every surface: the Teams card, Slack blocks, the console, the outbox."""

from __future__ import annotations

import base64

import pytest

from adapters.console.render import format_reply
from adapters.slack.blocks import messages
from adapters.teams.cards import render
from bot.insights.chart import draw
from bot.insights.measures import measure
from bot.insights.service import chart_reply
from bot.types import ShowChart
from storage.replies import replies_from_json, replies_to_json
from tests.insights.history import HISTORY, WINDOW

PNG = b"\x89PNG\r\n\x1a\n"
TEAMS_MESSAGE_LIMIT = 28_000
"""Teams refuses bot messages much over ~28 KB, card and image included."""


@pytest.fixture(scope="module")
def chart() -> ShowChart:
    insights = measure(HISTORY, WINDOW)
    return chart_reply(insights, draw(insights))


def test_teams_shows_the_picture_inside_the_card(chart: ShowChart) -> None:
    [message] = render([chart])
    assert message.card is not None
    [image] = [element for element in message.card["body"] if element["type"] == "Image"]
    prefix = "data:image/png;base64,"
    assert image["url"].startswith(prefix) and "octo/dslp" in image["altText"]
    assert base64.b64decode(image["url"].removeprefix(prefix)) == chart.image
    assert len(str(message.card)) < TEAMS_MESSAGE_LIMIT


def test_slack_posts_the_numbers_as_text(chart: ShowChart) -> None:
    [page] = messages([chart])
    text = " ".join(block["text"]["text"] for block in page.blocks if block["type"] == "section")
    assert "*Success rate:* 50 % (1 succeeded, 1 failed; 1 on hold)" in text


def test_the_console_prints_a_table(chart: ShowChart) -> None:
    rows = dict(line.split(" | ", 1) for line in format_reply(chart).splitlines() if " | " in line)
    assert rows["Success rate".ljust(len(next(iter(rows))))].startswith("50 %")


def test_a_chart_waits_in_the_outbox_unchanged(chart: ShowChart) -> None:
    assert replies_from_json(replies_to_json([chart])) == (chart,)


def test_the_picture_is_a_png(chart: ShowChart) -> None:
    assert chart.image.startswith(PNG)
