"""The Markdown file the local tracker keeps for each issue.

Offline users read their issues in an editor or a file browser, so each
issue is one self-contained page, rewritten whole after every change.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bot.types import Issue

NO_LABELS = "none"


def page_path(issues_dir: Path, number: int) -> Path:
    return issues_dir / f"{number}.md"


def render_page(
    issue: Issue, labels: Sequence[str], comments: Sequence[tuple[str, datetime, str]]
) -> str:
    """Title, labels (in the order given), state, body, then comments oldest first."""
    parts = [
        f"# {issue.title}",
        f"Labels: {', '.join(labels) or NO_LABELS}\nState: {issue.state}",
        issue.body.strip(),
    ]
    if comments:
        parts.append("## Comments")
        parts.extend(_comment(author, at, body) for author, at, body in comments)
    return "\n\n".join(parts) + "\n"


def write_page(path: Path, text: str) -> None:
    """Write beside the target and rename, so a reader never sees half a page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _comment(author: str, at: datetime, body: str) -> str:
    return f"**{author}**, {at:%Y-%m-%d %H:%M} UTC:\n\n{body.strip()}"
