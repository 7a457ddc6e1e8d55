"""`30d`, `90d`, `quarter` and `all`: the window a `stats` command asks about."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.insights.model import Window

DEFAULT = "90d"
DAYS = {"30d": 30, "90d": 90}
NAMES = (*DAYS, "quarter", "all")


def window(word: str, now: datetime, earliest: datetime | None) -> Window | None:
    """The window ending now; None for a word that names none. `quarter` is the current
    calendar quarter (in UTC), `all` starts at the history's first moment."""
    word = word.casefold()
    if word in DAYS:
        return Window(now - timedelta(days=DAYS[word]), now, word)
    if word == "quarter":
        at = now.astimezone(UTC)
        first_month = 3 * ((at.month - 1) // 3) + 1
        return Window(datetime(at.year, first_month, 1, tzinfo=UTC), now, word)
    if word == "all":
        return Window(min(earliest or now, now), now, word)
    return None
