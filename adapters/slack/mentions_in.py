"""Slack markup in typed text, rewritten for the core: mentions as tokens, the rest as plain text.

Slack writes `<@U123>` or `<@U123|ana>` for people and `<!subteam^S123>`
or `<!subteam^S123|@ml-team>` for user groups. Commands such as `role add`
read only `bot.mentions` tokens, so the Slack adapter passes the command
text through `tokens_from_slack` before `Commands.run`. Special mentions
(`<!channel>`, `<!here>`) are dropped: nobody can make the bot ping a room.
A mention of the bot itself (`@dslp-bot role list` in its DM) is dropped
too, as bot/commands.py asks. Channels (`<#C1|general>`) and links
(`<https://x|x>`) become what the person typed: a Data issue's source or
an Ask's problem should hold the URL, not Slack's markup around it.

Linear time, whatever the text: one scan finds each `<…>` that holds no
other `<` or `>` (Slack sends a typed `<` as `&lt;`, so real markup never
does), and only that bounded inside is classified. Patterns that ran over
the whole text from every `<` instead took seconds on a 40,000-character
DM of unclosed `<!x|`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.mentions import mention

_MARKUP = re.compile(r"<([^<>]*)>")
_PERSON = re.compile(r"@([UW][A-Z0-9]+)(?:\|[^<>]*)?")
_GROUP = re.compile(r"!subteam\^([A-Z0-9]+)(?:\|[^<>]*)?")
_SPECIAL = re.compile(r"!(?:channel|here|everyone)(?:\|[^<>]*)?")
_CHANNEL = re.compile(r"#([CG][A-Z0-9]+)(?:\|([^<>]*))?")
_LINK = re.compile(r"((?:https?|mailto):[^|<>\s]+)(?:\|([^<>]*))?")
_OTHER = re.compile(r"![^|<>]*(?:\|([^<>]*))?")

Rewrite = Callable[[re.Match[str]], str]


def tokens_from_slack(text: str, team_id: str, *, bot_user: str = "") -> str:
    """`text` as Slack sent it (entities still in): mentions as tokens, the rest made plain."""
    rules: tuple[tuple[re.Pattern[str], Rewrite], ...] = (
        (_PERSON, lambda m: _person(m.group(1), team_id, bot_user)),
        (_GROUP, lambda m: mention(f"slack:{team_id}:group:{m.group(1)}")),
        (_SPECIAL, lambda _: ""),
        (_CHANNEL, lambda m: "#" + (m.group(2) or m.group(1))),
        (_LINK, lambda m: _link(m.group(1), m.group(2))),
        (_OTHER, lambda m: m.group(1) or ""),
    )
    return _MARKUP.sub(lambda markup: _rewritten(markup, rules), text)


def _rewritten(markup: re.Match[str], rules: tuple[tuple[re.Pattern[str], Rewrite], ...]) -> str:
    """The first rule whose pattern is the whole inside; markup nobody knows stays as it was."""
    inside = markup.group(1)
    for pattern, rewrite in rules:
        found = pattern.fullmatch(inside)
        if found is not None:
            return rewrite(found)
    return markup.group()


def _person(user: str, team_id: str, bot_user: str) -> str:
    return "" if bot_user and user == bot_user else mention(f"slack:{team_id}:{user}")


def _link(url: str, label: str | None) -> str:
    """`<mailto:a@b|a@b>` reads `a@b`; a web link keeps its URL (a label can hide where it goes)."""
    return label if url.startswith("mailto:") and label else url
