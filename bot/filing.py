"""Filing a submitted draft as an issue, exactly once, and telling its owner.

A draft in stage SUBMITTING is the durable record of work accepted but not
yet done: the worker picks it up whether it was submitted a second ago or
before a restart. The tracker finds an earlier issue by the draft's marker
before creating one, so a retry after a crash never files twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace

from bot.background import Background
from bot.dslp import IssueType
from bot.flows.spec import Flow
from bot.ports import AskStore, DeliveryError, DraftStore, Outbox, Tracker, TrackerError
from bot.render import marker_for
from bot.texts import conversation as ct
from bot.texts import filing as t
from bot.types import Choice, Draft, FiledAsk, Issue, Reply, Say, ShowFiled, Stage

log = logging.getLogger(__name__)

AfterFiled = Callable[[Draft, Issue], Awaitable[tuple[str, ...]]]
"""Runs once the issue exists (and again if filing is retried, so it must be idempotent);
returns lines for the person's reply (the branch to use, what could not be done)."""
Action = Callable[[Draft], Awaitable[list[Reply]]]
"""What submitting a flow with `Flow.action` does instead of filing; TrackerError = retry."""


class Filer:
    def __init__(
        self,
        *,
        tracker: Tracker,
        drafts: DraftStore,
        asks: AskStore,
        flows: Mapping[str, Flow],
        after_filed: Mapping[str, AfterFiled] | None = None,
        actions: Mapping[str, Action] | None = None,
    ) -> None:
        """`after_filed` is keyed by flow name, `actions` by `Flow.action`."""
        self._tracker = tracker
        self._drafts = drafts
        self._asks = asks
        self._flows = flows
        self._after_filed = dict(after_filed or {})
        self._actions = dict(actions or {})

    async def file(self, draft: Draft) -> list[Reply]:
        """Look for the draft's marker first: an earlier attempt may have filed it and died."""
        flow = self._flows[draft.flow]
        if flow.action:
            return await self._act(flow, draft)
        title, body = flow.render(draft)
        marker = marker_for(draft.id, flow.name)
        try:
            issue = await self._tracker.find_by_marker(marker=marker)
            if issue is None:
                issue = await self._tracker.create_issue(
                    title=title, body=body, labels=[flow.issue_label], marker=marker
                )
            notes = await self._after(flow, draft, issue)
        except TrackerError as error:
            return await self.failed(draft, error.message)
        if flow.issue_label == IssueType.ASK:
            await self._asks.record(ask=self._filed_ask(draft, issue))
        done = replace(draft, stage=Stage.FILED, issue_number=issue.number, issue_url=issue.url)
        await self._drafts.save(draft=done)
        log.info("filed draft %s as issue #%s", draft.id, issue.number)
        return [self._filed_reply(flow, draft, issue, notes)]

    async def _after(self, flow: Flow, draft: Draft, issue: Issue) -> tuple[str, ...]:
        hook = self._after_filed.get(flow.name)
        return await hook(draft, issue) if hook is not None else ()

    async def _act(self, flow: Flow, draft: Draft) -> list[Reply]:
        """A flow that changes something instead of filing: done once its action returns."""
        try:
            replies = await self._actions[flow.action](draft)
        except TrackerError as error:
            return await self.failed(draft, error.message)
        await self._drafts.save(draft=replace(draft, stage=Stage.FILED))
        log.info("ran %s for draft %s", flow.action, draft.id)
        return replies

    async def failed(self, draft: Draft, reason: str) -> list[Reply]:
        log.warning("filing draft %s failed: %s", draft.id, reason)
        back = replace(draft, stage=Stage.REVIEW, last_error=reason)
        await self._drafts.save(draft=back)
        title = draft.answers.get("title", ct.UNTITLED)
        retry = (Choice(ct.CHOICE_TRY_AGAIN, "submit"),)
        return [Say(t.FAILED.format(title=title, reason=reason), retry)]

    def _filed_ask(self, draft: Draft, issue: Issue) -> FiledAsk:
        return FiledAsk(
            issue_number=issue.number,
            issue_url=issue.url,
            title=issue.title,
            requester=draft.owner,
            requester_name=draft.owner_name,
            origin=draft.origin,
            draft_id=draft.id,
            repository=self._tracker.repository,
        )

    def _filed_reply(
        self, flow: Flow, draft: Draft, issue: Issue, notes: tuple[str, ...] = ()
    ) -> ShowFiled:
        missing = [s.label for s in flow.steps if not draft.answers.get(s.key)]
        summary = t.SUMMARY.format(answered=len(draft.answers), total=len(flow.steps))
        if missing:
            summary += " " + t.STILL_TO_DEFINE.format(labels=", ".join(missing))
        summary = " ".join([summary, *notes])
        warnings: tuple[str, ...] = ()
        if flow.issue_label.casefold() not in {label.casefold() for label in issue.labels}:
            label_note = t.LABEL_DROPPED.format(
                label=flow.issue_label, repository=self._tracker.repository
            )
            warnings = (label_note,)
        return ShowFiled(issue.number, issue.url, issue.title, summary, warnings)


class FilingWorker:
    """Files every submitted draft and sends the outcome to where it was submitted."""

    def __init__(
        self, *, drafts: DraftStore, filer: Filer, outbox: Outbox, lease_seconds: float = 120.0
    ) -> None:
        self._drafts = drafts
        self._filer = filer
        self._outbox = outbox
        self._lease_seconds = lease_seconds
        self._background = Background()

    async def run_once(self) -> int:
        claimed = await self._drafts.claim_submitting(limit=20, lease_seconds=self._lease_seconds)
        for draft in claimed:
            await self._tell(draft, await self._file(draft))
        return len(claimed)

    async def _tell(self, draft: Draft, replies: list[Reply]) -> None:
        """The draft's state is already saved: an undeliverable answer must not stop the batch."""
        try:
            await self._outbox.send(place=draft.origin, replies=replies)
        except DeliveryError as error:
            log.warning("filing result for draft %s not delivered: %s", draft.id, error.message)

    async def _file(self, draft: Draft) -> list[Reply]:
        """A draft that cannot be filed goes back to review: never retried forever."""
        try:
            return await self._filer.file(draft)
        except Exception:
            log.exception("filing draft %s failed unexpectedly", draft.id)
            return await self._filer.failed(draft, t.UNEXPECTED)

    async def kick(self, _: Draft | None = None) -> None:
        """Start filing in the background: chat platforms want their answer first."""
        self._background.spawn(self.run_once(), "filing run")

    async def drain(self) -> None:
        """Wait for background runs, for a graceful shutdown (and for tests)."""
        await self._background.drain()
