"""Filing a submitted draft as an issue, exactly once, and telling its owner exactly once.

A draft in stage SUBMITTING is the durable record of work accepted but not
yet done: the worker picks it up whether it was submitted a second ago or
before a restart. The tracker finds an earlier issue by the draft's marker
before creating one, so a retry after a crash never files twice.

While the tracker is down the draft stays SUBMITTING and is tried again
with growing waits, for up to `give_up` after it was submitted; then it goes
back to review. Every outcome (filed, delayed, given up) is queued in the
durable outbox under a key of its own, *before* the draft's new state is
saved: a crash in between repeats the (idempotent) work, and the queue keeps
the message once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.background import Background, Heartbeat
from bot.dslp import IssueType
from bot.flows.spec import Flow
from bot.ports import AskStore, DraftStore, TrackerError
from bot.render import marker_for
from bot.repositories.homes import tracker_for
from bot.repositories.ports import Trackers
from bot.texts import conversation as ct
from bot.texts import filing as t
from bot.types import Choice, Draft, FiledAsk, Issue, Place, Reply, Say, ShowFiled, Stage

log = logging.getLogger(__name__)

AfterFiled = Callable[[Draft, Issue], Awaitable[tuple[str | Say, ...]]]
"""After an issue is filed: sentences for its summary, or questions (with buttons) after it."""
"""Runs once the issue exists (and again if filing is retried, so it must be idempotent);
returns lines for the person's reply (the branch to use, what could not be done)."""
Action = Callable[[Draft], Awaitable[list[Reply]]]
"""What submitting a flow with `Flow.action` does instead of filing; TrackerError = retry."""


class Queue(Protocol):
    """The durable outbox: replies wait there until delivered, once per key."""

    async def enqueue(self, *, key: str, place: Place, replies: Sequence[Reply]) -> None: ...


class SubmittedDrafts(DraftStore, Protocol):
    """The draft store as the worker uses it: claims are handed back or put off explicitly."""

    async def postpone(self, *, draft_id: str, seconds: float) -> None:
        """Free the draft's claim, due again in `seconds`."""
        ...

    async def release(self, *, draft_id: str) -> None: ...

    async def renew(self, *, draft_ids: Sequence[str], lease_seconds: float) -> None: ...


@dataclass(frozen=True)
class Retry:
    """How long filing keeps trying while the tracker is down.

    Each wait is as long as the draft has already waited (so the waits double),
    between `first` and `longest` seconds: a short outage costs seconds, a long
    one a few dozen tries a day.
    """

    give_up: timedelta = timedelta(hours=24)
    first: float = 10.0
    longest: float = 900.0

    @property
    def give_up_hours(self) -> float:
        return self.give_up.total_seconds() / 3600

    def wait(self, waited: timedelta) -> float:
        return min(self.longest, max(self.first, waited.total_seconds()))


@dataclass(frozen=True)
class Filed:
    """What filing did: the replies for the person and the draft's state to save after them."""

    replies: list[Reply]
    draft: Draft


def utc_now() -> datetime:
    return datetime.now(UTC)


def sentence(text: str) -> str:
    """Reasons come with and without a full stop; the texts put one sentence after them."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


class Filer:
    def __init__(
        self,
        *,
        trackers: Trackers,
        drafts: DraftStore,
        asks: AskStore,
        flows: Mapping[str, Flow],
        after_filed: Mapping[str, AfterFiled] | None = None,
        actions: Mapping[str, Action] | None = None,
    ) -> None:
        """`after_filed` is keyed by flow name, `actions` by `Flow.action`."""
        self._trackers = trackers
        self._drafts = drafts
        self._asks = asks
        self._flows = flows
        self._after_filed = dict(after_filed or {})
        self._actions = dict(actions or {})

    async def file(self, draft: Draft) -> Filed:
        """Look for the draft's marker first: an earlier attempt may have filed it and died.

        Raises TrackerError; the caller saves `Filed.draft` once the replies are queued.
        """
        flow = self._flows[draft.flow]
        if flow.action:
            replies = await self._actions[flow.action](draft)
            return Filed(replies, replace(draft, stage=Stage.FILED))
        title, body = flow.render(draft)
        marker = marker_for(draft.id, flow.name)
        tracker = await tracker_for(
            self._trackers, draft, as_owner=flow.issue_label != IssueType.ASK
        )
        issue = await tracker.find_by_marker(marker=marker)
        if issue is None:
            issue = await tracker.create_issue(
                title=title, body=body, labels=[flow.issue_label], marker=marker
            )
        notes = await self._after(flow, draft, issue)
        if flow.issue_label == IssueType.ASK:
            await self._asks.record(ask=self._filed_ask(draft, issue, tracker.repository))
        done = replace(draft, stage=Stage.FILED, issue_number=issue.number, issue_url=issue.url)
        lines = tuple(note for note in notes if isinstance(note, str))
        asked = [note for note in notes if isinstance(note, Say)]
        return Filed(
            [self._filed_reply(flow, draft, issue, tracker.repository, lines), *asked], done
        )

    async def _after(self, flow: Flow, draft: Draft, issue: Issue) -> tuple[str | Say, ...]:
        hook = self._after_filed.get(flow.name)
        return await hook(draft, issue) if hook is not None else ()

    @staticmethod
    def failed(draft: Draft, reason: str, text: str = "") -> Filed:
        """Back to review with the reason, and a Try again that the person presses themselves."""
        back = replace(draft, stage=Stage.REVIEW, last_error=reason)
        title = draft.answers.get("title", ct.UNTITLED)
        retry = (Choice(ct.CHOICE_TRY_AGAIN, "submit"),)
        return Filed([Say(text or t.FAILED.format(title=title, reason=reason), retry)], back)

    def _filed_ask(self, draft: Draft, issue: Issue, repository: str) -> FiledAsk:
        return FiledAsk(
            issue_number=issue.number,
            issue_url=issue.url,
            title=issue.title,
            requester=draft.owner,
            requester_name=draft.owner_name,
            origin=draft.origin,
            draft_id=draft.id,
            repository=repository,
        )

    def _filed_reply(
        self, flow: Flow, draft: Draft, issue: Issue, repository: str, notes: tuple[str, ...] = ()
    ) -> ShowFiled:
        missing = [s.label for s in flow.steps if not draft.answers.get(s.key)]
        summary = t.SUMMARY.format(answered=len(draft.answers), total=len(flow.steps))
        if missing:
            summary += " " + t.STILL_TO_DEFINE.format(labels=", ".join(missing))
        summary = " ".join([summary, *notes])
        warnings: tuple[str, ...] = ()
        if flow.issue_label.casefold() not in {label.casefold() for label in issue.labels}:
            label_note = t.LABEL_DROPPED.format(label=flow.issue_label, repository=repository)
            warnings = (label_note,)
        return ShowFiled(issue.number, issue.url, issue.title, summary, warnings)


class FilingWorker:
    """Files every submitted draft and queues the outcome for where it was submitted."""

    def __init__(
        self,
        *,
        drafts: SubmittedDrafts,
        filer: Filer,
        queue: Queue,
        lease_seconds: float = 120.0,
        retry: Retry | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._drafts = drafts
        self._filer = filer
        self._queue = queue
        self._lease_seconds = lease_seconds
        self._retry = retry or Retry()
        self._clock = clock
        self._background = Background()

    @property
    def filer(self) -> Filer:
        """The same Filer for work that cannot wait for the worker (a workflow step)."""
        return self._filer

    async def run_once(self) -> int:
        """A failure that is not the tracker's (the database went away) hands the rest back."""
        claimed = await self._drafts.claim_submitting(limit=20, lease_seconds=self._lease_seconds)
        for index, draft in enumerate(claimed):
            try:
                async with Heartbeat(self._renewal(claimed[index:]), self._lease_seconds / 3):
                    await self._work(draft)
            except Exception:
                await self._release(claimed[index:])
                raise
        return len(claimed)

    def _renewal(self, drafts: Sequence[Draft]) -> Callable[[], Awaitable[None]]:
        ids = [draft.id for draft in drafts]

        async def renew() -> None:
            await self._drafts.renew(draft_ids=ids, lease_seconds=self._lease_seconds)

        return renew

    async def _release(self, drafts: Sequence[Draft]) -> None:
        """Best effort: with the database down this fails too, and the leases run out instead."""
        try:
            for draft in drafts:
                await self._drafts.release(draft_id=draft.id)
        except Exception as error:
            log.warning(
                "filing: %d drafts not released (%s); their leases run out in %.0fs",
                len(drafts),
                type(error).__name__,
                self._lease_seconds,
            )

    async def _work(self, draft: Draft) -> None:
        """A bug goes back to review (said once); if the database is down, that raises too."""
        try:
            done = await self._filer.file(draft)
        except TrackerError as error:
            await self._trouble(draft, error)
            return
        except Exception:
            log.exception("filing draft %s failed unexpectedly", draft.id)
            await self._finish(draft, "failed", Filer.failed(draft, t.UNEXPECTED))
            return
        await self._finish(draft, "done", done)
        log.info("filed draft %s (%s)", draft.id, draft.flow)

    async def _finish(self, draft: Draft, outcome: str, done: Filed) -> None:
        """Queue first, then save: a crash in between files again (found by marker), queues once."""
        key = f"filing:{draft.id}:{_submission(draft)}:{outcome}"
        await self._queue.enqueue(key=key, place=draft.origin, replies=done.replies)
        await self._drafts.save(draft=done.draft)

    async def _trouble(self, draft: Draft, error: TrackerError) -> None:
        """Keep trying what may get better, telling the person once; give back what will not."""
        waited = self._clock() - (draft.updated_at or self._clock())
        if not error.retryable:
            log.warning("filing draft %s refused: %s", draft.id, error.message)
            await self._finish(draft, "failed", Filer.failed(draft, error.message))
            return
        if waited >= self._retry.give_up:
            log.warning("filing draft %s given up after %s: %s", draft.id, waited, error.message)
            await self._finish(
                draft, "gave-up", Filer.failed(draft, error.message, self._gave_up(draft))
            )
            return
        wait = self._retry.wait(waited)
        log.info("filing draft %s delayed, next try in %.0fs: %s", draft.id, wait, error.message)
        await self._queue.enqueue(
            key=f"filing:{draft.id}:{_submission(draft)}:delayed",
            place=draft.origin,
            replies=[Say(self._delayed(draft, error.message))],
        )
        await self._drafts.postpone(draft_id=draft.id, seconds=wait)

    def _gave_up(self, draft: Draft) -> str:
        title = draft.answers.get("title", ct.UNTITLED)
        return t.GAVE_UP.format(title=title, hours=self._retry.give_up_hours)

    def _delayed(self, draft: Draft, reason: str) -> str:
        title = draft.answers.get("title", ct.UNTITLED)
        return t.DELAYED.format(
            title=title, reason=sentence(reason), hours=self._retry.give_up_hours
        )

    async def kick(self, _: Draft | None = None) -> None:
        """Start filing in the background: chat platforms want their answer first."""
        self._background.spawn(self.run_once(), "filing run")

    async def drain(self) -> None:
        """Wait for background runs, for a graceful shutdown (and for tests)."""
        await self._background.drain()


def _submission(draft: Draft) -> str:
    """When the draft was submitted (its last save): one message per outcome per submission."""
    return f"{draft.updated_at.timestamp():.6f}" if draft.updated_at else "-"
