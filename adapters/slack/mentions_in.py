"""Slack mentions in command text, rewritten to the core's mention tokens.

Slack writes `<@U123>` or `<@U123|ana>` for people and `<!subteam^S123>`
or `<!subteam^S123|@ml-team>` for user groups. Commands such as `role add`
read only `bot.mentions` tokens, so the Slack adapter passes the command
text through `tokens_from_slack` before `Commands.run`. Special mentions
(`<!channel>`, `<!here>`) are dropped: nobody can make the bot ping a room.
"""

from __future__ import annotations

import re

from bot.mentions import mention

_PERSON = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_GROUP = re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>")
_SPECIAL = re.compile(r"<!(?:channel|here|everyone)(?:\|[^>]*)?>")


def tokens_from_slack(text: str, team_id: str) -> str:
    text = _PERSON.sub(lambda m: mention(f"slack:{team_id}:{m.group(1)}"), text)
    text = _GROUP.sub(lambda m: mention(f"slack:{team_id}:group:{m.group(1)}"), text)
    return _SPECIAL.sub("", text)
