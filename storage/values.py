"""Small conversions shared by the repositories: time, JSON text, places."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.types import Place


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


def place_of(row: Any) -> Place:
    return Place(
        platform=row.platform,
        channel_id=row.channel_id,
        team_id=row.team_id,
        thread_id=row.thread_id,
    )


def string_map(text: str) -> Mapping[str, str]:
    return {str(key): str(value) for key, value in from_json(text).items()}
