"""What a structural step in GitHub came to, and who asked for it from where."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_PROJECT = re.compile(r"([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/(\d{1,9})")


class Attached(StrEnum):
    """Adding a sub-issue: done now, done before, or not possible here (quietly)."""

    ADDED = "added"
    ALREADY = "already"
    UNSUPPORTED = "unsupported"
    """GitHub Enterprise Server without sub-issues (404), or no issue id to give."""
    ELSEWHERE = "elsewhere"
    """The child has another parent already: GitHub allows one, and the bot moves none."""


class Linked(StrEnum):
    """Creating an issue's linked branch."""

    CREATED = "created"
    ALREADY = "already"
    REFUSED = "refused"
    """The token may not create branches in the repository."""
    TAKEN = "taken"
    """A branch of that name exists and is not linked to the issue: left alone."""


@dataclass(frozen=True)
class PullRequest:
    number: int
    url: str
    head: str
    base: str


@dataclass(frozen=True)
class ProjectRef:
    """A GitHub Project (v2): its owner (organization or user) and its number."""

    owner: str
    number: int

    def __str__(self) -> str:
        return f"{self.owner}/{self.number}"

    @property
    def key(self) -> str:
        """GitHub ignores the case of an owner's login; comparisons do too."""
        return str(self).casefold()

    def owned_with(self, repository: str) -> bool:
        """Whether `owner/repo` has this Project's owner (any case). Only then may its issues
        go there: another owner's Project would show them to people the repository never
        let in."""
        return self.owner.casefold() == repository.partition("/")[0].casefold()


def parse_project(text: str) -> ProjectRef | None:
    """`octo/5` -> the project; anything else (a repository name, junk) -> None."""
    match = _PROJECT.fullmatch(text.strip())
    return ProjectRef(match.group(1), int(match.group(2))) if match else None


class Placed(StrEnum):
    """Putting an issue on a Project: with its phase set, without (no such option), or not."""

    PHASED = "phased"
    ADDED = "added"
    MISSING = "missing"
    """No such project, or the token may not see it."""


@dataclass(frozen=True)
class Actor:
    """Who made a step happen, and through which surface (for the comment in GitHub)."""

    name: str
    platform: str
    login: str = ""
    """The verified GitHub login, named when the bot's own token writes for them."""

    @property
    def surface(self) -> str:
        return {"slack": "Slack", "teams": "Teams", "console": "the console"}.get(
            self.platform, self.platform or "chat"
        )


@dataclass(frozen=True)
class ProjectEdit:
    """A person changed a Project item's field in GitHub (`projects_v2_item` edited).

    `content_id` is the item's issue node id; `option` the value it was given ("" when
    cleared); `installation_id` 0 outside a GitHub App."""

    project: ProjectRef
    field: str
    option: str
    content_id: str
    actor: str = ""
    installation_id: int = 0


@dataclass(frozen=True)
class ItemContent:
    """The issue behind a Project item: its repository and number."""

    repository: str
    number: int
