"""GitHub's web sign-in over HTTP: authorize URL, code and refresh exchanges, `/user`, revoke.

PyGithub's OAuth helper derives the sign-in host from the API URL, which
GitHub Enterprise Server and our fakes do not follow, so these few calls go
through aiohttp with GITHUB_WEB_URL and GITHUB_API_URL each where GitHub
expects them. Codes and tokens never reach a log or an error message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from aiohttp import ClientError, ClientSession, ClientTimeout, encode_basic_auth

from bot.identity.model import Tokens
from bot.identity.ports import SignInError

TIMEOUT = ClientTimeout(total=15)
JSON = {"Accept": "application/json", "User-Agent": "dslp-bot"}
API = {"Accept": "application/vnd.github+json", "User-Agent": "dslp-bot"}


class GitHubOAuthClient:
    """bot.identity.ports.GitHubSignIn for one OAuth app (or GitHub App) client."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        web_url: str,
        api_url: str,
        redirect_uri: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._client_id = client_id
        self._secret = client_secret
        self._web = web_url.rstrip("/")
        self._api = api_url.rstrip("/")
        self._redirect_uri = redirect_uri
        self._clock = clock

    def __repr__(self) -> str:
        return f"GitHubOAuthClient(client_id={self._client_id!r}, web_url={self._web!r})"

    def authorize_url(self, *, state: str) -> str:
        query = {"client_id": self._client_id, "redirect_uri": self._redirect_uri, "state": state}
        return f"{self._web}/login/oauth/authorize?{urlencode(query)}"

    async def exchange(self, *, code: str) -> Tokens:
        return await self._token({"code": code, "redirect_uri": self._redirect_uri})

    async def refresh(self, *, refresh_token: str) -> Tokens:
        return await self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})

    async def _token(self, form: Mapping[str, str]) -> Tokens:
        """GitHub answers 200 even when it refuses: the refusal is an `error` field."""
        data = {"client_id": self._client_id, "client_secret": self._secret, **form}
        url = f"{self._web}/login/oauth/access_token"
        answer = await self._call("POST", url, headers=JSON, data=data)
        if not isinstance(answer.get("access_token"), str) or not answer["access_token"]:
            raise SignInError(f"GitHub refused the exchange ({answer.get('error', 'no token')})")
        return self._tokens(answer)

    def _tokens(self, answer: Mapping[str, Any]) -> Tokens:
        now = self._clock()
        return Tokens(
            access=str(answer["access_token"]),
            refresh=str(answer.get("refresh_token") or ""),
            expires_at=_after(now, answer.get("expires_in")),
            refresh_expires_at=_after(now, answer.get("refresh_token_expires_in")),
        )

    async def login(self, *, access_token: str) -> str:
        headers = {**API, "Authorization": f"Bearer {access_token}"}
        answer = await self._call("GET", f"{self._api}/user", headers=headers)
        login = answer.get("login")
        if not isinstance(login, str) or not login:
            raise SignInError("GitHub's /user gave no login")
        return login

    async def revoke(self, *, access_token: str) -> None:
        url = f"{self._api}/applications/{self._client_id}/token"
        headers = {**API, "Authorization": encode_basic_auth(self._client_id, self._secret)}
        body = {"access_token": access_token}
        await self._call("DELETE", url, headers=headers, json=body, gone_ok=True)

    async def _call(
        self, method: str, url: str, *, gone_ok: bool = False, **kwargs: Any
    ) -> Mapping[str, Any]:
        try:
            async with (
                ClientSession(timeout=TIMEOUT) as session,
                session.request(method, url, **kwargs) as response,
            ):
                if gone_ok and response.status in (204, 404):
                    return {}
                if response.status >= 300:
                    raise SignInError(f"GitHub answered {response.status} to {method}")
                answer = await response.json(content_type=None)
        except (ClientError, TimeoutError, ValueError) as error:
            raise SignInError(f"GitHub could not be reached ({type(error).__name__})") from None
        return answer if isinstance(answer, dict) else {}


def _after(now: datetime, seconds: object) -> datetime | None:
    """`expires_in`, `refresh_token_expires_in`: seconds; absent: the token never expires."""
    if isinstance(seconds, int | str) and str(seconds).isdigit():
        return now + timedelta(seconds=int(seconds))
    return None
