"""Mentions in core text, as tokens each adapter turns into its platform's own.

The core cannot write `<@U123>` (Slack) or `<at>` (Teams), so it writes a
token around a member key: a person key (`slack:T1:U1`) or a group key
(`slack:T1:group:S1`). The delimiters are private-use characters; text
that comes from outside (issue titles, answers) passes through `untrusted`
first, so nobody can forge a mention (or a Slack `<!channel>`) by typing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN = "\ue000"
CLOSE = "\ue001"
_TOKEN = re.compile(f"{OPEN}([^{OPEN}{CLOSE}]+){CLOSE}")
GROUP = ":group:"


@dataclass(frozen=True)
class Mention:
    """A member key split into its parts; `group` for a user group (Slack) or team."""

    key: str

    @property
    def platform(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def is_group(self) -> bool:
        return GROUP in self.key

    @property
    def member_id(self) -> str:
        """The platform's own user or group id: the last part of the key."""
        return self.key.rsplit(":", 1)[-1]


def mention(key: str) -> str:
    return f"{OPEN}{untrusted(key)}{CLOSE}"


def untrusted(text: str) -> str:
    """Text from outside with any token delimiters removed."""
    return text.replace(OPEN, "").replace(CLOSE, "")


def split_mentions(text: str) -> list[str | Mention]:
    """Plain text and mentions in order, for adapters to render each their way."""
    parts: list[str | Mention] = []
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            parts.append(text[position : match.start()])
        parts.append(Mention(match.group(1)))
        position = match.end()
    if position < len(text):
        parts.append(text[position:])
    return parts
