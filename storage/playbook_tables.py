"""The playbook's settings per repository (bot.playbook.ports.PlaybookStore)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.columns import utc_column


class PlaybookRepositoryRow(SQLModel, table=True):
    """`branches off` for a repository, and whether the bot said once it may not branch there.

    Per repository, not per workspace: both are about what the bot does in GitHub, which
    is the same repository whichever workspace asks (and GitHub's write access decides who
    may change it).
    """

    __tablename__ = "playbook_repositories"

    repository: str = Field(primary_key=True)
    branches_off: bool = False
    refusal_told: bool = False
    project: str = ""
    """`owner/number` of the GitHub Project new work goes to ("" : DSLP_PROJECT, if set)."""
    set_by: str = ""
    updated_at: datetime = utc_column()
