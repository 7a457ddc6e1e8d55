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

Linear time, whatever the text, and a small constant: one pattern finds
each `<…>` of a kind it knows and holds no other `<` or `>` (Slack sends a
typed `<` as `&lt;`, so real markup never does); only those reach Python
code. Patterns that ran over the whole text from every `<` took seconds on a
40,000-character DM of unclosed `<!x|`, and classifying every `<…>` in Python,
markup nobody knows included, took 25 ms of the event loop for one of `<>`.
"""

from __future__ import annotations

import re

from bot.mentions import mention

_LABEL = r"(?:\|([^<>]*))?"
_MARKUP = re.compile(
    "<(?=[^<>]*>)(?:"
    r"@([UW][A-Z0-9]+)" + _LABEL
    + r"|!(?:subteam\^([A-Z0-9]+)" + _LABEL
    + r"|(channel|here|everyone)" + _LABEL
    + r"|([^|<>]*)" + _LABEL + ")"
    + r"|#([CG][A-Z0-9]+)" + _LABEL
    + r"|((?:https?|mailto):[^|<>\s]+)" + _LABEL
    + ")>"
)  # fmt: skip
"""Each kind of markup is a name and a label, tried in this order (the first that is the
whole inside wins); markup of no kind stays as it was. `lastindex` tells the kinds apart.
The look-ahead first makes sure a `>` closes the markup, so an unclosed `<` costs one
quick scan to the next `<` instead of a try at every kind."""
PERSON, GROUP, SPECIAL, OTHER, CHANNEL, LINK = range(6)


def tokens_from_slack(text: str, team_id: str, *, bot_user: str = "") -> str:
    """`text` as Slack sent it (entities still in): mentions as tokens, the rest made plain."""
    return _MARKUP.sub(lambda markup: _rewritten(markup, team_id, bot_user), text)


def _rewritten(markup: re.Match[str], team_id: str, bot_user: str) -> str:
    kind = ((markup.lastindex or 1) - 1) // 2
    name, label = markup.group(2 * kind + 1, 2 * kind + 2)
    if kind == PERSON:
        return _person(name, team_id, bot_user)
    if kind == GROUP:
        return mention(f"slack:{team_id}:group:{name}")
    if kind == CHANNEL:
        return "#" + (label or name)
    if kind == LINK:
        return _link(name, label)
    return "" if kind == SPECIAL else label or ""


def _person(user: str, team_id: str, bot_user: str) -> str:
    return "" if bot_user and user == bot_user else mention(f"slack:{team_id}:{user}")


def _link(url: str, label: str | None) -> str:
    """`<mailto:a@b|a@b>` reads `a@b`; a web link keeps its URL (a label can hide where it goes)."""
    return label if url.startswith("mailto:") and label else url
