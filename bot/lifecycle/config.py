"""The notification table, overridable by a small TOML or JSON file (DSLP_NOTIFY_CONFIG).

    roles_via = "dm"                       # or "channel" (the default)
    [audiences]
    experiment-succeeded = ["ml-engineer", "requester", "channel"]

Rules not named keep their defaults; an empty list silences a rule. The
file is read once at start-up; a mistake in it stops the start with a
message that names the mistake, rather than silently telling nobody.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from typing import Any

from bot.lifecycle.rules import (
    DEFAULT_AUDIENCES,
    RESERVED,
    ROLES_VIA_CHANNEL,
    ROLES_VIA_DM,
    NotifyConfig,
    frozen_audiences,
)

ROLE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
ROLE_MAX = 40


class NotifyConfigError(ValueError):
    """The config file says something the bot cannot follow; the message says what."""


def is_role_name(text: str) -> bool:
    return len(text) <= ROLE_MAX and bool(ROLE.match(text)) and text not in RESERVED


def parse_notify_config(text: str, *, is_json: bool) -> NotifyConfig:
    try:
        data = json.loads(text) if is_json else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as error:
        raise NotifyConfigError(f"cannot read the notification config: {error}") from error
    if not isinstance(data, dict):
        raise NotifyConfigError("the notification config must be a table of settings")
    roles_via = data.get("roles_via", ROLES_VIA_CHANNEL)
    if roles_via not in (ROLES_VIA_CHANNEL, ROLES_VIA_DM):
        raise NotifyConfigError(f"roles_via must be “channel” or “dm”, not {roles_via!r}")
    audiences = {**DEFAULT_AUDIENCES, **_audiences(data.get("audiences", {}))}
    return NotifyConfig(audiences=frozen_audiences(audiences), roles_via=roles_via)


def _audiences(table: Any) -> Mapping[str, tuple[str, ...]]:
    if not isinstance(table, dict):
        raise NotifyConfigError("audiences must be a table of rule = [audience, ...]")
    found: dict[str, tuple[str, ...]] = {}
    for rule, audience in table.items():
        if rule not in DEFAULT_AUDIENCES:
            known = ", ".join(DEFAULT_AUDIENCES)
            raise NotifyConfigError(f"unknown rule {rule!r} (known: {known})")
        found[rule] = _audience(rule, audience)
    return found


def _audience(rule: str, audience: Any) -> tuple[str, ...]:
    if not isinstance(audience, list) or not all(isinstance(item, str) for item in audience):
        raise NotifyConfigError(f"{rule}: the audience must be a list of words")
    bad = [item for item in audience if item not in RESERVED and not is_role_name(item)]
    if bad:
        raise NotifyConfigError(f"{rule}: {', '.join(map(repr, bad))} is not a role name")
    return tuple(audience)
