"""An Ask framed from a chat message: the message becomes the problem statement, linked back."""

from __future__ import annotations

from bot.flows.ask import ASK


def problem_from_message(text: str, link: str, template: str) -> str:
    """Text and link within the step's limit: a giant paste is cut, never the link.

    `template` is the platform's sentence with `{text}` and `{link}` ("From a Slack message")."""
    limit = ASK.step("problem").max_length
    if not link:
        return text[:limit]
    room = limit - len(template.format(text="", link=link)) - 1
    clipped = text if len(text) <= room else text[: max(room, 0)] + "…"
    return template.format(text=clipped, link=link)
