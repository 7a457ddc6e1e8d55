"""The Workflow Builder step "File a DSLP Ask": a Slack function, callback id `file_dslp_ask`.

Slack sends `function_executed` with the step's inputs (the Ask's parts and
`requester`, a user id); the Ask is filed at once through the core
(`bot.ask.unattended`) and the step ends with `functions.completeSuccess`
(outputs `issue_number`, `issue_url`) or `functions.completeError` with a
sentence the workflow's owner can act on. Both calls go out with the run's own
token (`bot_access_token`), which Bolt attaches to the listener's client.
The requester owns the Ask (`/dslp status`, the Home tab) and hears about it
later by DM, as after `/dslp ask` from a DM.

A run from a workspace not in DSLP_SLACK_TEAM_IDS runs nothing, but is ended at
once (`end_refused`) instead of left for Slack to time out. That is safe: the
request's signature was checked before the gate saw it, the gate refused it by
its signed team id, and the only token used is the run's own, from the same
signed body, sent only to Slack's `functions.completeError` with a fixed
sentence; no token of ours serves another workspace and nothing is echoed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.complete.async_complete import AsyncComplete
from slack_bolt.context.fail.async_fail import AsyncFail

from adapters.slack import texts as t
from adapters.slack.deps import Deps
from adapters.slack.outbox import SendError, reason
from adapters.slack.payloads import org_of, text_of
from adapters.slack.places import direct_place
from bot.ask import texts as at
from bot.ask.unattended import Unattended
from bot.flows.ask import ASK
from bot.types import Person, Platform

log = logging.getLogger(__name__)

CALLBACK_ID = "file_dslp_ask"
REQUESTER = "requester"
USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")
Body = Mapping[str, Any]


class WorkflowStep:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    def register(self, bolt: AsyncApp) -> None:
        """Before the catch-all event listener: Bolt runs the first listener that matches."""
        bolt.function(CALLBACK_ID)(self.on_run)

    async def on_run(self, body: Body, complete: AsyncComplete, fail: AsyncFail) -> None:
        """Bolt acked the event already; the run is worked after it, like every listener's."""
        self._deps.background.spawn(self._run(body, complete, fail), "slack workflow step")

    async def _run(self, body: Body, complete: AsyncComplete, fail: AsyncFail) -> None:
        event = body.get("event", {})
        run_id = str(event.get("function_execution_id", ""))
        try:
            done = await self._file(body)
        except Exception as error:
            log.warning("slack: workflow step %s failed (%s)", run_id[:40], type(error).__name__)
            done = Unattended(problem=t.WORK_FAILED)
        try:
            if done.filed:
                await complete(outputs={"issue_number": done.number, "issue_url": done.url})
            else:
                await fail(error=done.problem)
        except SendError as error:
            log.warning("slack: ending workflow step %s failed: %s", run_id[:40], reason(error))
        log.info("slack: workflow step %s %s", run_id[:40], "filed" if done.filed else "failed")

    def end_refused(self, body: Body, context: AsyncBoltContext) -> None:
        """The gate's hook: a refused run (and only a run that brought its own token) ends
        as failed, after the ack."""
        event = body.get("event")
        if not isinstance(event, Mapping) or event.get("type") != "function_executed":
            return
        if not context.function_execution_id or not context.function_bot_access_token:
            return
        self._deps.background.spawn(self._refuse(context), "slack workflow step refused")

    async def _refuse(self, context: AsyncBoltContext) -> None:
        run_id = str(context.function_execution_id)[:40]
        try:
            await context.fail(error=t.RUN_NOT_ALLOWED)
        except SendError as error:
            log.warning("slack: ending refused workflow step %s failed: %s", run_id, reason(error))
            return
        log.info("slack: workflow step %s from a workspace not served ended as failed", run_id)

    async def _file(self, body: Body) -> Unattended:
        event = body.get("event", {})
        inputs = event.get("inputs")
        inputs = inputs if isinstance(inputs, Mapping) else {}
        team = str(body.get("team_id", ""))
        requester = inputs.get(REQUESTER)
        if not isinstance(requester, str) or not USER_ID.fullmatch(requester) or not team:
            return Unattended(problem=at.NO_REQUESTER)
        person = Person(Platform.SLACK, requester, team, await self._name(requester), org_of(body))
        values = {step.key: _text(inputs.get(step.key), team) for step in ASK.steps}
        return await self._deps.unattended.file(
            person=person,
            place=direct_place(user=requester, team=team, org=person.org_id),
            values=values,
            run_id=str(event.get("function_execution_id", "")),
            context={"origin": t.WORKFLOW_ORIGIN, "slack_team": team},
        )

    async def _name(self, user: str) -> str:
        """How the issue's footer names the requester; their id when Slack will not say."""
        try:
            response = await self._deps.client.users_info(user=user)
        except SendError as error:
            log.warning("slack: users.info for %s failed: %s", user, reason(error))
            return user
        found = response.get("user")
        profile = found if isinstance(found, dict) else {}
        name = profile.get("real_name") or profile.get("name")
        return name if isinstance(name, str) and name else user


def _text(raw: object, team: str) -> str | None:
    """Workflow inputs arrive as Slack text (a form's answer may mention people)."""
    return text_of(raw, team) if isinstance(raw, str) else None
