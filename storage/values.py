"""Small conversions shared by the repositories: time, JSON text, places."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.types import Place

LEGACY_SCOPE = "legacy"
"""Where migration 0009 put rows whose workspace or tenant could not be told.

No live Place or Person has this scope (theirs are `platform:id`), so these
rows are never read or changed by anyone until an operator moves them (README).
"""


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_json(value: Any) -> str:
    """Readable JSON (no \\u escapes) so non-English answers stay legible in the database."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def from_json(text: str) -> Any:
    return json.loads(text)


def place_columns(place: Place) -> dict[str, str]:
    return {
        "platform": place.platform,
        "team_id": place.team_id,
        "channel_id": place.channel_id,
        "thread_id": place.thread_id,
    }


def scoped_place_columns(place: Place) -> dict[str, str]:
    """For tables that keep the place's scope too (and with it the Grid org id)."""
    return {**place_columns(place), "scope": place.scope.key}


def place_of(row: Any) -> Place:
    return Place(
        platform=row.platform,
        channel_id=row.channel_id,
        team_id=row.team_id,
        thread_id=row.thread_id,
        org_id=org_of(getattr(row, "scope", ""), row.team_id),
    )


def org_of(scope: str, team_id: str) -> str:
    """The Grid org id a stored scope key names: its id when that is not the team's own."""
    scope_id = scope.partition(":")[2]
    return scope_id if scope_id and scope_id != team_id else ""


def string_map(text: str) -> Mapping[str, str]:
    return {str(key): str(value) for key, value in from_json(text).items()}
