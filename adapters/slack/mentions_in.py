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
"""

from __future__ import annotations

import re

from bot.mentions import mention

_PERSON = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_GROUP = re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>")
_SPECIAL = re.compile(r"<!(?:channel|here|everyone)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>")
_OTHER = re.compile(r"<![^|>]*(?:\|([^>]*))?>")


def tokens_from_slack(text: str, team_id: str, *, bot_user: str = "") -> str:
    """`text` as Slack sent it (entities still in): mentions as tokens, the rest made plain."""
    text = _PERSON.sub(lambda m: _person(m.group(1), team_id, bot_user), text)
    text = _GROUP.sub(lambda m: mention(f"slack:{team_id}:group:{m.group(1)}"), text)
    return plain_from_slack(_SPECIAL.sub("", text))


def _person(user: str, team_id: str, bot_user: str) -> str:
    return "" if bot_user and user == bot_user else mention(f"slack:{team_id}:{user}")


def plain_from_slack(text: str) -> str:
    """Channel references and links as the person typed them; other `<!…>` as their label."""
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _LINK.sub(lambda m: _link(m.group(1), m.group(2)), text)
    return _OTHER.sub(lambda m: m.group(1) or "", text)


def _link(url: str, label: str | None) -> str:
    """`<mailto:a@b|a@b>` reads `a@b`; a web link keeps its URL (a label can hide where it goes)."""
    return label if url.startswith("mailto:") and label else url
