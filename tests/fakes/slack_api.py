"""FakeSlack: a small Slack Web API (and response_url receiver) on 127.0.0.1 for tests.

It runs on the test's own event loop (the bot's slack_sdk client is async
too), records every call with its parameters (form or JSON, with `blocks`
and `view` decoded), and answers in the shapes Slack documents:
`{"ok": true, ...}` or `{"ok": false, "error": "..."}` with HTTP 200.
Faults (an error code, a 429 with `Retry-After`, a slow answer) are
queued per method, like FakeGitHub's.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.outage import Outage

TOKEN = "xoxb-test-token"
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "test-client-secret"
TEAM = "T0TEST"
BOT_USER = "UBOT"
Json = dict[str, Any]
DECODED = ("blocks", "view", "attachments", "metadata")


@dataclass
class SlackCall:
    method: str
    params: Json
    authorized: bool
    token: str = ""
    """The bearer token the call carried (tests ask which workspace's it was)."""


@dataclass
class Grant:
    """What `oauth.v2.access` answers for one install's code (Slack's documented shape)."""

    team: str | None
    enterprise: str | None = None
    org_wide: bool = False
    rotating: bool = False
    used: bool = False


@dataclass
class Upload:
    """A file begun with files.getUploadURLExternal; `data` once posted to its upload URL,
    `channel` once files.completeUploadExternal shared it."""

    filename: str
    length: int
    alt_txt: str = ""
    data: bytes = b""
    title: str = ""
    channel: str = ""
    thread_ts: str = ""


@dataclass
class Fault:
    method: str
    times: int
    status: int = 200
    error: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    done: bool = False
    """The call is carried out, and then the error answered (Slack failing after it posted)."""


class FakeSlack:
    def __init__(self, *, token: str = TOKEN) -> None:
        self.token = token
        self.tokens: dict[str, str] = {token: TEAM}
        """Bot tokens Slack would take: token -> its workspace (or Grid org, org-wide)."""
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.grants: dict[str, Grant] = {}
        """Install codes Slack handed to the redirect, by code."""
        self.refresh_tokens: dict[str, str] = {}
        """Live refresh tokens -> their workspace; each can be spent once."""
        self.refreshes: list[str] = []
        """Refresh tokens spent (or tried), in order."""
        self.calls: list[SlackCall] = []
        self.responses: list[Json] = []
        self.faults: list[Fault] = []
        self.unreachable: dict[str, str] = {}
        self.undmable: dict[str, str] = {}
        self.zones: dict[str, str] = {}
        """users.info answers `tz` from here (IANA names); a user not listed has none."""
        self.outage = Outage()
        """`fake.outage.start(10)`: every call (API and response_url) fails for 10 s."""
        self.runs: dict[str, str] = {}
        """Workflow step runs Slack started: function_execution_id -> the run's own token
        (`bot_access_token`), the only one `functions.complete*` takes for it."""
        self.finished: dict[str, Json] = {}
        """Runs ended, by execution id: `{"outputs": ...}` or `{"error": ...}`."""
        self.messages: dict[str, list[Json]] = {}
        """Posted messages per channel, oldest first, as conversations.history returns them."""
        self.uploads: dict[str, Upload] = {}
        """Files by id, in the external upload flow (files_upload_v2)."""
        self.channel_pace = 0.0
        """Seconds between two `chat.postMessage` to one channel, as Slack allows "about one
        message a second" per channel: a post sooner is answered 429 with `Retry-After: 1`
        (off at 0, the default)."""
        self._last_post: dict[str, float] = {}
        self._runner: web.AppRunner | None = None
        self._last_ts = 0.0
        self.port = 0

    # --- lifecycle -----------------------------------------------------------

    async def start(self) -> FakeSlack:
        down = self.outage.middleware(lambda status: {"ok": False, "error": f"http_{status}"})
        app = web.Application(middlewares=[down])
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{hook}", self._respond)
        app.router.add_post("/upload/v1/{file_id}", self._upload)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        """What SLACK_API_URL would be."""
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, hook: str = "h1") -> str:
        return f"http://127.0.0.1:{self.port}/respond/{hook}"

    # --- inspection ------------------------------------------------------------

    def to(self, method: str) -> list[Json]:
        """Parameters of every call to `method`, in order (retries included)."""
        return [call.params for call in self.calls if call.method == method]

    def delivered(self, method: str) -> list[Json]:
        """Parameters of calls to `method` that were answered ok (not faulted)."""
        return [
            call.params for call in self.calls if call.method == method and call.params.get("_ok")
        ]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        *,
        timeout: float = 5.0,
        where: Callable[[Json], bool] | None = None,
    ) -> list[Json]:
        """Poll until `count` successful calls to `method` (matching `where`) were made."""
        deadline = time.monotonic() + timeout
        while True:
            found = [p for p in self.delivered(method) if where is None or where(p)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            await asyncio.sleep(0.02)

    async def wait_for_response(self, count: int = 1, *, timeout: float = 5.0) -> list[Json]:
        deadline = time.monotonic() + timeout
        while len(self.responses) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return self.responses

    def start_run(self, execution_id: str) -> str:
        """A workflow step run begins: the token its function_executed event carries."""
        token = f"xwfp-{len(self.runs) + 1}-{execution_id}"
        self.runs[execution_id] = token
        return token

    async def wait_for_end(self, execution_id: str, *, timeout: float = 5.0) -> Json:
        deadline = time.monotonic() + timeout
        while execution_id not in self.finished and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return self.finished.get(execution_id, {})

    # --- faults ------------------------------------------------------------------

    def fail_next(self, method: str, error: str, *, times: int = 1) -> None:
        self.faults.append(Fault(method, times, error=error))

    def rate_limit_next(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        headers = {"Retry-After": str(retry_after)}
        self.faults.append(Fault(method, times, status=429, error="ratelimited", headers=headers))

    def server_error_next(self, method: str, *, times: int = 1) -> None:
        self.faults.append(Fault(method, times, status=503, error="service_unavailable"))

    def fail_after_next(self, method: str, *, times: int = 1) -> None:
        """A 500 answered after the call took effect: its caller cannot know it did."""
        self.faults.append(Fault(method, times, status=500, error="internal_error", done=True))

    def hold_after_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Carried out at once, answered `seconds` later (a process killed meanwhile never
        learns that its message was posted)."""
        self.faults.append(Fault(method, times, delay=seconds, done=True))

    def delay_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        self.faults.append(Fault(method, times, delay=seconds))

    def _paced(self, method: str, params: Json, authorized: bool) -> Fault | None:
        """Slack's per-channel limit on posting, when `channel_pace` is set."""
        if not (self.channel_pace and authorized and method == "chat.postMessage"):
            return None
        channel, now = str(params.get("channel", "")), time.monotonic()
        if now - self._last_post.get(channel, -self.channel_pace) < self.channel_pace:
            return Fault(method, 0, status=429, error="ratelimited", headers={"Retry-After": "1"})
        self._last_post[channel] = now
        return None

    def _take(self, method: str) -> Fault | None:
        for fault in self.faults:
            if fault.times > 0 and fault.method == method:
                fault.times -= 1
                return fault
        return None

    # --- HTTP ----------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        authorized = bearer in self.tokens
        if method.startswith("functions.") or method == "auth.test":
            params["_token"] = bearer  # a run is ended with its own token
            authorized = authorized or bearer in self.runs.values()
        if method == "oauth.v2.access":
            authorized = self._client_auth(request.headers.get("Authorization", ""))
        call = SlackCall(method, params, authorized, bearer)
        self.calls.append(call)
        fault = self._take(method) or self._paced(method, params, authorized)
        done = self._answer(method, params) if fault and fault.done and authorized else None
        if fault is not None and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault is not None and fault.error:
            body = {"ok": False, "error": fault.error}
            return web.json_response(body, status=fault.status, headers=fault.headers)
        if done is not None:
            body = done
        elif authorized:
            body = self._answer(method, params)
        elif method == "oauth.v2.access":
            body = {"ok": False, "error": "invalid_client_id"}
        else:
            body = {"ok": False, "error": "invalid_auth"}
        params["_ok"] = bool(body.get("ok"))
        params["_error"] = str(body.get("error", ""))
        return web.json_response(body)

    async def _respond(self, request: web.Request) -> web.Response:
        payload = await request.json()
        self.responses.append({"hook": request.match_info["hook"], **payload})
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL: the file's bytes as the body; Slack answers 200 `OK - <length>`."""
        upload = self.uploads.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404, text="Not Found")
        upload.data = await request.read()
        return web.Response(text=f"OK - {len(upload.data)}")

    def _upload_url(self, params: Json) -> Json:
        filename, length = str(params.get("filename", "")), str(params.get("length", ""))
        if not filename or not length.isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{len(self.uploads) + 1:07d}"
        alt = str(params.get("alt_txt") or "")
        self.uploads[file_id] = Upload(filename, int(length), alt)
        url = f"http://127.0.0.1:{self.port}/upload/v1/{file_id}"
        return {"ok": True, "upload_url": url, "file_id": file_id}

    def _complete_upload(self, params: Json) -> Json:
        """Shares uploaded files into `channel_id`; a file never uploaded, or whose bytes
        differ in length from what was announced, is refused."""
        files = params.get("files")
        listed = json.loads(files) if isinstance(files, str) else files
        channel = str(params.get("channel_id") or "")
        if channel in self.unreachable:
            return {"ok": False, "error": self.unreachable[channel]}
        if not isinstance(listed, list) or not listed:
            return {"ok": False, "error": "invalid_arguments"}
        done = []
        for entry in listed:
            upload = self.uploads.get(str(entry.get("id", "")))
            if upload is None or len(upload.data) != upload.length or not upload.data:
                return {"ok": False, "error": "file_not_found"}
            upload.title = str(entry.get("title") or upload.filename)
            upload.channel, upload.thread_ts = channel, str(params.get("thread_ts") or "")
            done.append({"id": entry["id"], "title": upload.title, "name": upload.filename})
        return {"ok": True, "files": done}

    def _answer(self, method: str, params: Json) -> Json:
        handler = ANSWERS.get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        return handler(self, params)

    def _next_ts(self) -> str:
        """Slack's ts is the posting time, unique per channel: history windows are times."""
        self._last_ts = max(time.time(), self._last_ts + 0.000001)
        return f"{self._last_ts:.6f}"

    def _post(self, params: Json) -> Json:
        channel = str(params.get("channel", ""))
        if channel in self.unreachable:
            return {"ok": False, "error": self.unreachable[channel]}
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        ts = self._next_ts()
        message: Json = {"type": "message", "text": params.get("text", ""), "ts": ts}
        message.update(bot_id="BBOT", thread_ts=params.get("thread_ts") or None)
        if isinstance(params.get("metadata"), dict):
            message["metadata"] = params["metadata"]
        self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _history(self, params: Json) -> Json:
        """Newest first within [oldest, latest], `limit` a page (100 by default) with a
        `next_cursor` while more remain; metadata only with include_all_metadata."""
        channel = str(params.get("channel", ""))
        thread = str(params.get("ts", ""))
        oldest, latest = float(params.get("oldest") or 0), float(params.get("latest") or 1e12)
        found = [
            m
            for m in reversed(self.messages.get(channel, []))
            if oldest <= float(m["ts"]) <= latest and (not thread or m.get("thread_ts") == thread)
        ]
        start, size = int(params.get("cursor") or 0), int(params.get("limit") or 100)
        page, more = found[start : start + size], start + size < len(found)
        with_metadata = str(params.get("include_all_metadata", "")).lower() in {"1", "true"}
        shown = [m if with_metadata else _without_metadata(m) for m in page]
        cursor = str(start + size) if more else ""
        return {
            "ok": True,
            "messages": shown,
            "has_more": more,
            "response_metadata": {"next_cursor": cursor},
        }

    def _ephemeral(self, params: Json) -> Json:
        channel = str(params.get("channel", ""))
        if channel in self.unreachable:
            return {"ok": False, "error": self.unreachable[channel]}
        return {"ok": True, "message_ts": self._next_ts()}

    def _open(self, params: Json) -> Json:
        user = str(params.get("users", ""))
        if user in self.undmable:
            return {"ok": False, "error": self.undmable[user]}
        return {"ok": True, "channel": {"id": f"D{user}"}}

    def _view(self, params: Json) -> Json:
        view = params.get("view") or {}
        view_id = str(params.get("view_id") or f"V{len(self.calls):05d}")
        return {"ok": True, "view": {**view, "id": view_id, "hash": f"h{len(self.calls)}"}}

    def _views_open(self, params: Json) -> Json:
        if params.get("trigger_id") == "expired":
            return {"ok": False, "error": "expired_trigger_id"}
        return self._view(params)

    def _permalink(self, params: Json) -> Json:
        channel, ts = str(params.get("channel", "")), str(params.get("message_ts", ""))
        link = f"https://test.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        return {"ok": True, "channel": channel, "permalink": link}

    def _user_info(self, params: Json) -> Json:
        user = str(params.get("user", ""))
        if not user.startswith(("U", "W")):
            return {"ok": False, "error": "user_not_found"}
        profile: Json = {"id": user, "team_id": TEAM, "name": user.lower()}
        if user in self.zones:
            profile["tz"] = self.zones[user]
        return {"ok": True, "user": profile}

    def _end_run(self, params: Json, ending: Json) -> Json:
        """A run ends once, with its own token (Slack's errors for anything else)."""
        run = str(params.get("function_execution_id", ""))
        if run not in self.runs:
            return {"ok": False, "error": "function_execution_not_found"}
        if params.get("_token") != self.runs[run]:
            return {"ok": False, "error": "access_denied"}
        if run in self.finished:
            return {"ok": False, "error": "execution_not_in_running_state"}
        self.finished[run] = ending
        return {"ok": True}

    def _complete_success(self, params: Json) -> Json:
        outputs = params.get("outputs")
        decoded = json.loads(outputs) if isinstance(outputs, str) else outputs
        if not isinstance(decoded, dict):
            return {"ok": False, "error": "parameter_validation_failed"}
        return self._end_run(params, {"outputs": decoded})

    def _complete_error(self, params: Json) -> Json:
        error = params.get("error")
        if not isinstance(error, str) or not error:
            return {"ok": False, "error": "invalid_arguments"}
        return self._end_run(params, {"error": error})

    def _auth_test(self, params: Json) -> Json:
        team = self.tokens.get(str(params.get("_token", "")), TEAM)
        return {
            "ok": True,
            "url": "https://test.slack.com/",
            "team": "Test",
            "user": "dslp-bot",
            "team_id": team,
            "user_id": BOT_USER,
            "bot_id": "BBOT",
            "is_enterprise_install": team.startswith("E"),
        }

    # --- installing (OAuth v2) ------------------------------------------------------

    def grant(
        self,
        code: str,
        team: str | None,
        *,
        enterprise: str | None = None,
        org_wide: bool = False,
        rotating: bool = False,
    ) -> None:
        """Someone approved the install on Slack's page; the redirect will carry `code`."""
        self.grants[code] = Grant(team, enterprise, org_wide, rotating)

    def token_of(self, workspace: str) -> list[str]:
        """Every token issued to a workspace (or org), oldest first."""
        return [token for token, team in self.tokens.items() if team == workspace]

    def _client_auth(self, header: str) -> bool:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        return header == f"Basic {expected}"

    def _oauth_access(self, params: Json) -> Json:
        if params.get("grant_type") == "refresh_token":
            return self._refresh(str(params.get("refresh_token", "")))
        grant = self.grants.get(str(params.get("code", "")))
        if grant is None or grant.used:
            return {"ok": False, "error": "invalid_code"}
        grant.used = True
        owner = (grant.enterprise if grant.org_wide else grant.team) or ""
        answer: Json = {
            "ok": True,
            "app_id": "A1",
            "authed_user": {"id": "UINSTALLER"},
            "scope": "chat:write,commands",
            "token_type": "bot",
            "bot_user_id": BOT_USER,
            "team": None if grant.org_wide else {"id": grant.team, "name": f"Team {grant.team}"},
            "enterprise": {"id": grant.enterprise, "name": "Org"} if grant.enterprise else None,
            "is_enterprise_install": grant.org_wide,
        }
        return {**answer, **self._issue(owner, rotating=grant.rotating)}

    def _refresh(self, refresh_token: str) -> Json:
        self.refreshes.append(refresh_token)
        owner = self.refresh_tokens.pop(refresh_token, None)
        if owner is None:
            return {"ok": False, "error": "invalid_refresh_token"}
        return {"ok": True, "app_id": "A1", "token_type": "bot", **self._issue(owner, True)}

    def _issue(self, owner: str, rotating: bool) -> Json:
        token = f"xoxb-{owner}-{len(self.tokens) + 1}"
        if rotating:
            token = f"xoxe.{token}"
        self.tokens[token] = owner
        if not rotating:
            return {"access_token": token}
        refresh = f"xoxe-1-{owner}-{len(self.refreshes) + len(self.refresh_tokens) + 1}"
        self.refresh_tokens[refresh] = owner
        return {"access_token": token, "refresh_token": refresh, "expires_in": 43200}


ANSWERS: dict[str, Callable[[FakeSlack, Json], Json]] = {
    "auth.test": FakeSlack._auth_test,
    "chat.postMessage": FakeSlack._post,
    "chat.postEphemeral": FakeSlack._ephemeral,
    "chat.update": FakeSlack._post,
    "chat.getPermalink": FakeSlack._permalink,
    "conversations.open": FakeSlack._open,
    "conversations.history": FakeSlack._history,
    "conversations.replies": FakeSlack._history,
    "views.open": FakeSlack._views_open,
    "views.update": FakeSlack._view,
    "views.push": FakeSlack._view,
    "views.publish": FakeSlack._view,
    "users.info": FakeSlack._user_info,
    "oauth.v2.access": FakeSlack._oauth_access,
    "functions.completeSuccess": FakeSlack._complete_success,
    "functions.completeError": FakeSlack._complete_error,
    "files.getUploadURLExternal": FakeSlack._upload_url,
    "files.completeUploadExternal": FakeSlack._complete_upload,
}


def _without_metadata(message: Json) -> Json:
    return {key: value for key, value in message.items() if key != "metadata"}


async def _params(request: web.Request) -> Json:
    """Query, form or JSON, as slack_sdk sends any of them; JSON-in-form fields decoded."""
    params: Json = dict(request.query)
    if request.method == "POST" and request.content_type == "application/json":
        raw = await request.json()
        params.update(raw if isinstance(raw, dict) else {})
    elif request.method == "POST":
        params.update(await request.post())
    for key in DECODED:
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params
