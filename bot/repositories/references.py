"""How chat names an issue or a repository: `#12`, `12`, `octo/dslp#12`, `octo/dslp`.

One parser for every command, so `data`, `experiment`, `model`, `status`, the
digest and `use` read names alike. Each pattern is anchored, its parts
bounded (GitHub's own limits: 39 characters for an owner, 100 for a name),
and it has no nested repetition: the time it takes grows with the input's
length only, and typed text cannot make it backtrack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_NUMBER_DIGITS = 9
_REPOSITORY = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9_.-]{1,100}"
_REPOSITORY_ONLY = re.compile(_REPOSITORY)
_ISSUE = re.compile(
    rf"(?:(?P<repository>{_REPOSITORY})#|#?)(?P<number>\d{{1,{MAX_NUMBER_DIGITS}}})"
)
_LONGEST = 39 + 1 + 100 + 1 + MAX_NUMBER_DIGITS


@dataclass(frozen=True)
class IssueRef:
    """An issue as chat named it; `repository` is empty for `#N` (the channel's repository)."""

    repository: str
    number: int

    def within(self, home: str) -> IssueRef:
        """The reference with its repository filled in: `#N` means the channel's."""
        return self if self.repository else IssueRef(home, self.number)


def parse_issue(word: str) -> IssueRef | None:
    """`#12`, `12`, `octo/dslp#12` -> an IssueRef; anything else (`#x`, `a/b`) -> None."""
    word = word.strip()
    match = _ISSUE.fullmatch(word) if len(word) <= _LONGEST else None
    if match is None:
        return None
    return IssueRef(match.group("repository") or "", int(match.group("number")))


def parse_repository(word: str) -> str | None:
    """`octo/dslp` -> itself; anything that cannot be a repository's full name -> None."""
    word = word.strip()
    return word if _REPOSITORY_ONLY.fullmatch(word) else None


def named_repository(args: str) -> str | None:
    """The repository the first word of a command's arguments names, if any: `octo/dslp#12`
    and `octo/dslp` name one; `#12` and everything else name none (the channel's is meant)."""
    word = args.strip().split(" ", 1)[0]
    ref = parse_issue(word)
    if ref is not None:
        return ref.repository or None
    return parse_repository(word)


def issue_reference(repository: str, number: int) -> str:
    """How a button names an issue: `owner/repo#N`, so pressing it acts in that repository
    wherever it is pressed (a DM, another channel); the local tracker's issues by number."""
    return f"{repository}#{number}" if parse_repository(repository) else str(number)
