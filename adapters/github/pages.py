"""GitHub's REST pagination: the next page is the `Link` header's rel="next" URL."""

from __future__ import annotations


def next_url(link: str) -> str:
    """The rel="next" URL of a `Link` header, or "" on the last page."""
    for part in link.split(","):
        url, _, rel = part.partition(";")
        if 'rel="next"' in rel:
            return url.strip().strip("<>")
    return ""
