"""Column types every table shares; a leaf, so table modules import it and nothing back.

Every timestamp goes through `UtcDateTime`; long text through `text_field`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

# Stable constraint names, so future migrations can refer to them by name.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Stores UTC and always returns aware UTC datetimes.

    SQLite keeps no zone and PostgreSQL answers in the session's zone; this
    makes both give back the same value, so comparisons and tests never mix
    naive and aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: storage only accepts aware datetimes")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_column(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=Column(UtcDateTime(), nullable=nullable, index=index))


def text_field(default: str = "") -> Any:
    """Unbounded text (answers may be long) with a server-independent default."""
    return Field(default=default, sa_type=Text, nullable=False)
