"""A progress bar for the terminal (`dslp-bot backfill`): redrawn in place on a TTY,
one line per step otherwise, so a log or a pipe stays readable."""

from __future__ import annotations

from typing import TextIO

WIDTH = 30


class ProgressBar:
    def __init__(self, label: str, out: TextIO) -> None:
        self._label = label
        self._out = out
        self._live = out.isatty()

    def __call__(self, done: int, total: int | None) -> None:
        """`done` pages of `total` (None when GitHub did not say: then the count alone)."""
        self._out.write(("\r" if self._live else "") + line(self._label, done, total))
        self._out.write("" if self._live else "\n")
        self._out.flush()

    def close(self) -> None:
        if self._live:
            self._out.write("\n")
            self._out.flush()


def line(label: str, done: int, total: int | None) -> str:
    if not total:
        return f"{label} {done} pages"
    filled = min(WIDTH, WIDTH * done // total)
    return f"{label} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} pages"
