"""The inbox: every accepted tracker delivery, raw, before anything is worked out from it.

Writing one small row is all a webhook answer waits for; the context
lookups, rules and notifications happen afterwards in a worker. A row is
work until `processed_at` is set, which happens in the transaction that
records the event and its notifications, so a crash in between leaves it
to be picked up again and never half done.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from storage.columns import text_field, utc_column


class InboxRow(SQLModel, table=True):
    """`delivery` is the event's key (`github:<X-GitHub-Delivery>`, or the poller's).

    `digest` is the SHA-256 of a webhook body: a body replayed under a new
    delivery id is the same delivery. The poller's rows have none (NULL:
    unique indexes let NULLs repeat on both databases).
    """

    __tablename__ = "inbox"
    __table_args__ = (
        Index("ix_inbox_processed_at_id", "processed_at", "id"),
        Index("uq_inbox_digest", "digest", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    delivery: str = Field(unique=True)
    digest: str | None = None
    event: str
    payload: str = text_field()
    received_at: datetime = utc_column()
    processed_at: datetime | None = utc_column(nullable=True)
    lease_until: datetime | None = utc_column(nullable=True)
    attempts: int = 0
    last_error: str = text_field()
