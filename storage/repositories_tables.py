"""The GitHub App's installations and the repositories each grants (App mode only).

GitHub's ids are kept as GitHub gives them (64-bit); repository keys are
casefolded, with the name as GitHub spells it beside.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index
from sqlmodel import Field, SQLModel

from storage.columns import text_field, utc_column


class GitHubInstallationRow(SQLModel, table=True):
    __tablename__ = "github_installations"

    installation_id: int = Field(
        sa_column=Column(BigInteger(), primary_key=True, autoincrement=False)
    )
    account: str
    suspended: bool = False
    updated_at: datetime = utc_column()


class ServedRepositoryRow(SQLModel, table=True):
    """A repository belongs to one account, so to at most one installation of the App."""

    __tablename__ = "served_repositories"
    __table_args__ = (Index("ix_served_repositories_installation_id", "installation_id"),)

    repository: str = Field(primary_key=True)
    full_name: str
    installation_id: int = Field(sa_column=Column(BigInteger(), nullable=False))
    private: bool = False
    updated_at: datetime = utc_column()


class InstallationTokenRow(SQLModel, table=True):
    """An installation's current token, sealed with DSLP_SECRET_KEY, shared by the replicas
    so that only one of them asks GitHub for a new one (the one holding `lease_until`)."""

    __tablename__ = "github_installation_tokens"

    installation_id: int = Field(
        sa_column=Column(BigInteger(), primary_key=True, autoincrement=False)
    )
    token: str = text_field()
    expires_at: datetime | None = utc_column(nullable=True)
    lease_until: datetime | None = utc_column(nullable=True)
    """While set and in the future, one replica is asking GitHub: the others wait for it."""
    updated_at: datetime = utc_column()
