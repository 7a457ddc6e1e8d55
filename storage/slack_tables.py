"""Tables of the Slack adapter: Events API deliveries and signed requests already taken in.

Slack re-delivers an event it thinks was not acknowledged (`X-Slack-Retry-Num`);
a durable record of each `event_id` keeps a restart or a second replica from
answering the same message twice. A signed request replayed within the
five minutes Slack's signatures are valid is recorded here too, under
`request:<sha256 of its timestamp and signature>`, and runs once.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.columns import utc_column


class SlackEventRow(SQLModel, table=True):
    __tablename__ = "slack_events"

    event_id: str = Field(primary_key=True)
    """An event id (`Ev…`), or a request key (`request:…`)."""
    received_at: datetime = utc_column(index=True)
