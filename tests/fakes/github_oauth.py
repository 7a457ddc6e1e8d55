"""GitHub's web sign-in, as the fake GitHub serves it: authorize, token, revoke.

`authorize` is the page GitHub shows: here the person in the browser is
`signed_in` (a test sets it) and has already said yes, so the page carries
the link back to the bot's callback, with a fresh code; a test "is the
browser" and follows it. Codes work once; access tokens let `/user` say
who they belong to; refresh tokens work once (GitHub rotates them).
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

from tests.fakes.github_routes import Reply
from tests.fakes.github_state import error_body

CLIENT_ID = "Iv1.fakeclient"
CLIENT_SECRET = "fake-client-secret"


@dataclass
class UserToken:
    login: str
    expires_at: datetime | None


@dataclass
class FakeOAuth:
    now: Callable[[], datetime]
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    signed_in: str = "ana-gh"
    """Who is signed in to GitHub in the test's browser."""
    expires_in: int | None = None
    """Seconds a user token lives (a GitHub App's 8 hours); None: forever (an OAuth app's)."""
    callbacks: list[str] = field(default_factory=list)
    """Every link back to the bot the authorize page gave, newest last."""
    codes: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, UserToken] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    revoked: list[str] = field(default_factory=list)
    refreshed: int = 0

    def user_of(self, token: str) -> str:
        """The login a live user token belongs to, else ""."""
        found = self.tokens.get(token)
        if found is None or (found.expires_at is not None and self.now() >= found.expires_at):
            return ""
        return found.login

    def authorize(self, query: dict[str, str]) -> Reply:
        if query.get("client_id") != self.client_id or not query.get("redirect_uri"):
            return Reply(404, "<html><body>Not Found</body></html>")
        code = secrets.token_hex(10)
        self.codes[code] = self.signed_in
        back = {"code": code, "state": query.get("state", "")}
        callback = f"{query['redirect_uri']}?{urlencode(back)}"
        self.callbacks.append(callback)
        page = f'<html><body><a href="{callback}">Continue</a></body></html>'
        return Reply(200, page)

    def access_token(self, raw: bytes) -> Reply:
        form = dict(parse_qsl(raw.decode()))
        client = (form.get("client_id"), form.get("client_secret"))
        if client != (self.client_id, self.client_secret):
            return Reply(200, {"error": "incorrect_client_credentials"})
        if form.get("grant_type") == "refresh_token":
            login = self.refresh_tokens.pop(form.get("refresh_token", ""), "")
            self.refreshed += 1 if login else 0
        else:
            login = self.codes.pop(form.get("code", ""), "")
        if not login:
            return Reply(200, {"error": "bad_verification_code"})
        return Reply(200, self._issue(login))

    def _issue(self, login: str) -> dict[str, Any]:
        token = "ghu_" + secrets.token_hex(16)
        expires = self.now() + timedelta(seconds=self.expires_in) if self.expires_in else None
        self.tokens[token] = UserToken(login, expires)
        answer: dict[str, Any] = {"access_token": token, "token_type": "bearer", "scope": ""}
        if self.expires_in:
            refresh = "ghr_" + secrets.token_hex(16)
            self.refresh_tokens[refresh] = login
            answer |= {
                "expires_in": self.expires_in,
                "refresh_token": refresh,
                "refresh_token_expires_in": 15_897_600,
            }
        return answer

    def revoke(self, client_id: str, authorization: str, body: Any) -> Reply:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if client_id != self.client_id or authorization != f"Basic {expected}":
            return Reply(401, error_body("Bad credentials"))
        token = body.get("access_token", "") if isinstance(body, dict) else ""
        if self.tokens.pop(token, None) is None:
            return Reply(404, error_body("Not Found"))
        self.revoked.append(token)
        return Reply(204, None)
