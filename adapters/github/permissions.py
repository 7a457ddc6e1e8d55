"""GitHub's collaborator permission endpoint: what a login may do in a repository.

`GET /repos/{owner}/{repo}/collaborators/{username}/permission` answers
`permission` (admin, write, read, none: the old names) and `role_name`
(admin, maintain, write, triage, read, or a custom role's name); the role
name is finer, so it wins when it is one GitHub defines.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from github import Github, GithubException

from adapters.github.errors import Failure, classify
from adapters.github.retry import RetryPolicy
from adapters.github.tokens import Credentials, CurrentToken
from adapters.github.tracker import DEFAULT_API_URL
from bot.permissions.model import Access
from bot.permissions.ports import AccessError
from bot.ports import TrackerError

DENIED = frozenset({Failure.UNAUTHORISED, Failure.FORBIDDEN})
"""GitHub refusing the bot's own credentials there. A rate limit, also a 403, is GitHub not
answering for a while: what it said before about that repository still holds."""


class GitHubAccess:
    """bot.permissions.ports.AccessLookup with the bot's own credentials for the repository:
    GITHUB_TOKEN, or (App mode) the token of the installation that grants it."""

    def __init__(self, *, credentials: Credentials, api_url: str, policy: RetryPolicy) -> None:
        self._credentials = credentials
        self._github = Github(
            auth=CurrentToken(credentials),
            base_url=(api_url or DEFAULT_API_URL).rstrip("/"),
            timeout=policy.timeout,
            retry=policy.urllib3_retry(),
            user_agent="dslp-bot",
            lazy=True,
        )

    def __repr__(self) -> str:
        return "GitHubAccess()"

    async def access(self, *, repository: str, login: str) -> Access:
        path = f"/repos/{repository}/collaborators/{quote(login, safe='')}/permission"
        try:
            answer = await self._get(path)
        except GithubException as error:
            if error.status == 404:
                return Access.NONE
            denied = classify(error) in DENIED
            raise AccessError(f"GitHub answered {error.status}", denied=denied) from None
        except TrackerError as error:  # the App is not installed there (any more)
            raise AccessError(error.message, denied=True) from None
        except Exception as error:
            raise AccessError(f"GitHub could not be reached ({type(error).__name__})") from None
        return _access(answer)

    async def _get(self, path: str) -> Any:
        """With a fresh token; one refused mid-run (401) is renewed once, as the tracker does."""
        token = await self._credentials.fresh()
        request = self._github.requester.requestJsonAndCheck
        try:
            _, answer = await asyncio.to_thread(request, "GET", path)
        except GithubException as error:
            if error.status != 401 or not await self._credentials.refused(token):
                raise
            await self._credentials.fresh()
            _, answer = await asyncio.to_thread(request, "GET", path)
        return answer

    async def aclose(self) -> None:
        await asyncio.to_thread(self._github.close)


def _access(answer: Any) -> Access:
    if not isinstance(answer, dict):
        return Access.NONE
    for field in ("role_name", "permission"):
        found = Access.named(str(answer.get(field) or ""))
        if found is not None:
            return found
    return Access.NONE


class RepositoryAccess:
    """bot.permissions.ports.AccessLookup for every served repository: each is asked with the
    credentials that reach it (in App mode, its own installation's), made on first use."""

    def __init__(self, make: Callable[[str], GitHubAccess]) -> None:
        self._make = make
        self._made: dict[str, GitHubAccess] = {}

    async def access(self, *, repository: str, login: str) -> Access:
        key = repository.casefold()
        if key not in self._made:
            self._made[key] = self._make(repository)
        return await self._made[key].access(repository=repository, login=login)
