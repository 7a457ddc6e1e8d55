"""GitHub's collaborator permission endpoint: what a login may do in a repository.

`GET /repos/{owner}/{repo}/collaborators/{username}/permission` answers
`permission` (admin, write, read, none: the old names) and `role_name`
(admin, maintain, write, triage, read, or a custom role's name); the role
name is finer, so it wins when it is one GitHub defines.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

from github import Auth, Github, GithubException

from adapters.github.retry import RetryPolicy
from adapters.github.tracker import DEFAULT_API_URL
from bot.permissions.model import Access
from bot.permissions.ports import AccessError

DENIED = frozenset({401, 403})


class GitHubAccess:
    """bot.permissions.ports.AccessLookup with the bot's own token."""

    def __init__(self, *, token: str, api_url: str, policy: RetryPolicy) -> None:
        self._github = Github(
            auth=Auth.Token(token),
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
            _, answer = await asyncio.to_thread(
                self._github.requester.requestJsonAndCheck, "GET", path
            )
        except GithubException as error:
            if error.status == 404:
                return Access.NONE
            denied = error.status in DENIED
            raise AccessError(f"GitHub answered {error.status}", denied=denied) from None
        except Exception as error:
            raise AccessError(f"GitHub could not be reached ({type(error).__name__})") from None
        return _access(answer)

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
