"""Whether a signed Slack payload has the shape Bolt relies on.

Bolt reads fields such as `view`, `user` or `actions` without checking
their type, so a signed payload with `"view": null` made it raise and the
server answer 500. Slack never sends that; anything that does gets a 400.
Bolt also matches on `actions[0]["action_id"]` (and its `block_id`) without
looking, so each action needs a text `action_id`, as Slack always sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OBJECTS = ("view", "user", "team", "channel", "container", "message", "event", "enterprise")
LISTS = ("actions",)
TEXTS = ("type", "id", "user", "channel", "team", "text", "callback_id", "trigger_id", "ts")
NULLABLE = ("enterprise", "team", "channel")
"""Slack itself sends these as null (a workspace outside Enterprise Grid, a global shortcut)."""


def well_formed(body: object) -> bool:
    if not _texts_are_text(body):
        return False
    assert isinstance(body, Mapping)
    objects = [body[key] for key in OBJECTS if key in body and not _null(body, key)]
    if not all(_texts_are_text(value) for value in objects):
        return False
    return all(_some_actions(body[key]) for key in LISTS if key in body)


def _texts_are_text(value: object) -> bool:
    """An object whose identifying fields, when present, are strings (Bolt indexes into them)."""
    if not isinstance(value, Mapping):
        return False
    return all(isinstance(value[key], str) for key in TEXTS if key in value and key not in OBJECTS)


def _some_actions(value: Any) -> bool:
    """A non-empty list of actions, each with a text `action_id` (and `block_id`, if any)."""
    return isinstance(value, list) and bool(value) and all(_action(item) for item in value)


def _action(value: Any) -> bool:
    if not isinstance(value, Mapping) or not isinstance(value.get("action_id"), str):
        return False
    return isinstance(value.get("block_id", ""), str)


def _null(body: Mapping[str, Any], key: str) -> bool:
    return key in NULLABLE and body[key] is None
