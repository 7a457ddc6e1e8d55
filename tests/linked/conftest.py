"""A whole core for linked work: real GitHubTracker against FakeGitHub, real SQLite storage.

Filing runs inline (as the console does), and what the worker sends goes to a
recording Outbox, so a test reads like a chat transcript.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from adapters.github import GitHubTracker, RetryPolicy
from adapters.github.structure import TrackerStructures
from bot.ask.commands import AskCommands
from bot.commands import Commands
from bot.conversation.engine import Conversations
from bot.filing import Filer, FilingWorker
from bot.flows.ask import ASK
from bot.flows.outcome import RECORD_OUTCOME
from bot.linked.commands import LinkedCommands
from bot.linked.filing import LinkedFiling
from bot.linked.kinds import FLOWS, KINDS
from bot.linked.outcome_replies import OutcomeAction
from bot.playbook.commands import PlaybookCommands
from bot.playbook.service import Playbook
from bot.render import render_ask
from bot.repositories.service import FixedRegistry, RegistryTrackers
from bot.repositories.showing import Showing
from bot.types import Person, Place, Reply, Say, ShowFiled, ShowPreview
from storage.asks import SqlAskStore
from storage.drafts import SqlDraftStore
from storage.linked import SqlLinkStore
from storage.people import SqlPeopleStore
from storage.playbook import SqlPlaybookStore
from tests.fakes.fixtures import fake_github
from tests.fakes.github_api import FakeGitHub
from tests.support.databases import make_database
from tests.support.doubles import RecordingOutbox

__all__ = ["fake_github"]

PERSON = Person("slack", "U1", "T1", "Zoë")
PLACE = Place("slack", "C1", "T1", "1700000000.000100")
FAST = RetryPolicy(attempts=2, backoff=0.01, max_backoff=0.02, max_wait=1.0, secondary_wait=0.02,
                   timeout=2, request_gap=0.0, write_gap=0.0)  # fmt: skip
HAND_WRITTEN = "Note from Bea: try survival models too, see the Q3 deck."


@dataclass
class Core:
    fake: FakeGitHub
    tracker: GitHubTracker
    links: SqlLinkStore
    drafts: SqlDraftStore
    commands: Commands
    linked: LinkedCommands
    outbox: RecordingOutbox
    playbook: Playbook
    playbook_store: SqlPlaybookStore

    async def run(self, text: str) -> list[Reply]:
        return await self.commands.run(person=PERSON, place=PLACE, text=text)

    async def say(self, text: str) -> list[Reply]:
        return await self.commands.message(person=PERSON, place=PLACE, text=text)

    async def answer_all(self, *answers: str) -> list[Reply]:
        """Answer in order, then preview and submit; returns what the worker sent."""
        for text in (*answers, "preview", "submit"):
            await self.say(text)
        return self.outbox.sent[-1][1] if self.outbox.sent else []

    def ask(self, *, title: str = "Predict churn", extra: str = HAND_WRITTEN) -> int:
        """An Ask as the bot files them, with a line a person added by hand under Approaches."""
        rendered = render_ask(
            {"title": title, "problem": "Churn surprises us.", "outcome": "As a CSM I see risk."},
            skipped=(),
            requester_name="Zoë",
            origin="slack",
            draft_id="ask-draft",
        )
        body = rendered.body.replace(
            "## Approaches and Experiments\n", f"## Approaches and Experiments\n\n{extra}\n"
        )
        return self.fake.add_issue(title=title, body=body, labels=["Ask"]).number

    def issue(self, number: int):  # type: ignore[no-untyped-def]
        return self.fake.repo().issues[number]


def texts(replies: Sequence[Reply]) -> str:
    parts: list[str] = []
    for reply in replies:
        if isinstance(reply, Say):
            parts.append(reply.text)
        elif isinstance(reply, ShowPreview):
            parts.append(f"{reply.title}\n{reply.body}")
        elif isinstance(reply, ShowFiled):
            parts.append(f"{reply.title} {reply.summary} {' '.join(reply.warnings)}")
    return "\n".join(parts)


@pytest.fixture
def tracker(fake_github: FakeGitHub) -> Iterator[GitHubTracker]:
    made = GitHubTracker(
        token="test-token",
        repository=fake_github.repository,
        api_url=fake_github.api_url,
        policy=FAST,
    )
    yield made
    made.close()


@pytest.fixture
async def core(
    fake_github: FakeGitHub, tracker: GitHubTracker, tmp_path: Path
) -> AsyncIterator[Core]:
    with make_database("sqlite", tmp_path) as database:
        database.migrate()
        drafts, links, outbox = SqlDraftStore(database), SqlLinkStore(database), RecordingOutbox()
        flows = {ASK.name: ASK, **FLOWS}
        trackers = RegistryTrackers(FixedRegistry(tracker.repository), lambda _: tracker)
        playbook_store = SqlPlaybookStore(database)
        playbook = Playbook(structures=TrackerStructures(), store=playbook_store)
        linking = LinkedFiling(trackers=trackers, links=links, kinds=KINDS, playbook=playbook)
        filer = Filer(
            trackers=trackers,
            drafts=drafts,
            asks=SqlAskStore(database),
            flows=flows,
            after_filed=linking.hooks(),
            actions={
                RECORD_OUTCOME: OutcomeAction(trackers=trackers, links=links, playbook=playbook)
            },
        )
        worker = FilingWorker(drafts=drafts, filer=filer, queue=outbox)

        async def file_now(_: object) -> None:
            await worker.run_once()

        conversations = Conversations(drafts=drafts, flows=flows, on_submitted=file_now)
        commands = Commands(conversations)
        showing = Showing(trackers=trackers, subscribed=SqlPeopleStore(database))
        AskCommands(
            commands=commands,
            asks=SqlAskStore(database),
            drafts=drafts,
            repository="octo/dslp",
            showing=showing,
        ).register()
        linked = LinkedCommands(
            commands=commands, trackers=trackers, links=links, drafts=drafts, playbook=playbook
        )
        linked.register()
        PlaybookCommands(
            commands=commands,
            playbook=playbook,
            store=playbook_store,
            mutes=SqlAskStore(database),
            repository="octo/dslp",
        ).register()
        yield Core(
            fake_github, tracker, links, drafts, commands, linked, outbox, playbook, playbook_store
        )
