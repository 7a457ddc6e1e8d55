"""What the Slack listeners need from the wired app, in one value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.outbox import SlackOutbox
from adapters.slack.replays import Replays
from adapters.slack.replies import Replier
from adapters.slack.zones import UserZones
from bot.ask.unattended import UnattendedAsks
from bot.background import Background
from bot.commands import Commands
from bot.conversation.engine import Conversations
from bot.flows.spec import Flow
from bot.insights.service import InsightsService
from bot.linked.commands import LinkedCommands
from bot.ports import AskStore, DraftStore
from storage.slack_events import SqlSlackEvents


@dataclass(frozen=True)
class Deps:
    commands: Commands
    drafts: DraftStore
    asks: AskStore
    flows: Mapping[str, Flow]
    client: AsyncWebClient
    outbox: SlackOutbox
    replier: Replier
    events: SqlSlackEvents
    background: Background
    zones: UserZones
    unattended: UnattendedAsks
    """Asks filed by a workflow step, with nobody at the keyboard."""
    replays: Replays
    linked: LinkedCommands | None = None
    insights: InsightsService | None = None
    """The App Home's last 90 days for the person's repositories."""
    team_ids: frozenset[str] = frozenset()
    """DSLP_SLACK_TEAM_IDS parsed; empty: every workspace."""

    @property
    def conversations(self) -> Conversations:
        return self.commands.conversations
