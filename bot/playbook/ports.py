"""What the playbook needs: GitHub's structure for one repository, and its own settings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.playbook.model import Attached, ItemContent, Linked, Placed, ProjectRef, PullRequest
from bot.ports import Tracker
from bot.types import FiledAsk


class Structure(Protocol):
    """Sub-issues, linked branches and pull requests of one repository.

    Every call is safe to repeat: a write whose answer was lost is looked for
    before it is sent again. Failures raise `TrackerError`.
    """

    @property
    def repository(self) -> str: ...

    async def issue_id(self, *, number: int) -> int | None:
        """GitHub's id of the issue (not its number): what `add_sub_issue` takes."""
        ...

    async def add_sub_issue(self, *, parent: int, child_id: int) -> Attached: ...

    async def link_branch(self, *, number: int, branch: str) -> Linked:
        """Create `branch` from the default branch's head and link it to issue `number`."""
        ...

    async def open_pulls(self, *, head: str) -> Sequence[PullRequest]:
        """Open pull requests whose head is `head`, a branch of this repository."""
        ...

    async def retarget_pull(self, *, number: int, base: str) -> PullRequest: ...

    async def close_pull(self, *, number: int) -> PullRequest: ...

    async def place_in_project(
        self, *, project: ProjectRef, field: str, number: int, phase: str
    ) -> Placed:
        """Issue `number` on the project (once), its single-select `field` set to `phase`."""
        ...


class Structures(Protocol):
    def of(self, tracker: Tracker) -> Structure | None:
        """The structure behind a tracker; None for one without (the local tracker)."""
        ...


class Mutes(Protocol):
    async def set_muted(
        self, *, repository: str, number: int, requester: str, muted: bool
    ) -> FiledAsk | None:
        """None unless `requester` filed that Ask: nobody mutes someone else's."""
        ...


class PlaybookStore(Protocol):
    """Per repository: whether the bot makes DSLP branches, and whether it said it could not."""

    async def branches_on(self, *, repository: str) -> bool: ...

    async def set_branches(self, *, repository: str, on: bool, by: str) -> bool:
        """False when it was that way already."""
        ...

    async def refusal_told(self, *, repository: str) -> bool:
        """Marks the refusal told; True when it had been told before."""
        ...

    async def project(self, *, repository: str) -> str:
        """The project chosen with `project owner/number` (`owner/number`), or ""."""
        ...

    async def set_project(self, *, repository: str, project: str, by: str) -> None: ...

    async def repositories_of(self, *, project: str) -> list[str]:
        """The repositories that chose `project` (`owner/number`, any case)."""
        ...


class ProjectItems(Protocol):
    """What a Project item holds, asked of GitHub with the token that received its event."""

    async def content_of(self, *, content_id: str, installation_id: int) -> ItemContent | None:
        """The issue behind the node id; None for a draft issue, a pull request, or nothing
        the token can see."""
        ...
