"""Tables of the Slack adapter: Events API deliveries already taken in.

Slack re-delivers an event it thinks was not acknowledged (`X-Slack-Retry-Num`);
a durable record of each `event_id` keeps a restart or a second replica from
answering the same message twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.columns import utc_column


class SlackEventRow(SQLModel, table=True):
    __tablename__ = "slack_events"

    event_id: str = Field(primary_key=True)
    received_at: datetime = utc_column(index=True)
