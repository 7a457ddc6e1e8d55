"""The real app and server with GitHub's sign-in on, FakeGitHub as github.com and its API.

The test is the browser: it opens the bot's sign-in link, follows the
redirect to the fake authorize page, and goes back to the callback that page
links to (on the test server: DSLP_PUBLIC_URL is a name the test maps).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from cryptography.fernet import Fernet
from pydantic import SecretStr

from adapters.app import App
from adapters.composition import build
from adapters.github.oauth import oauth_mount
from adapters.web import create_web_app
from bot.types import Person, Place, Reply, Say
from tests.fakes.fixtures import fake_github
from tests.fakes.github_api import FakeGitHub
from tests.fakes.github_oauth import CLIENT_ID, CLIENT_SECRET
from tests.support.apps import app_settings
from tests.support.doubles import RecordingOutbox

__all__ = ["fake_github"]

PUBLIC_URL = "https://dslp.example.com"
SECRET_KEY = Fernet.generate_key().decode()
ANA = Person("slack", "UANA", "T1", "Ana")
BEN = Person("slack", "UBEN", "T1", "Ben")
ADMIN = Person("slack", "UADMIN", "T1", "Ada")


@dataclass
class Page:
    status: int
    text: str
    headers: dict[str, str]


@dataclass
class Browser:
    """The person's browser, and the bot's chat for them."""

    app: App
    fake: FakeGitHub
    session: ClientSession
    server: TestServer
    chat: RecordingOutbox

    def local(self, url: str) -> str:
        """A URL on DSLP_PUBLIC_URL, as the test server serves it."""
        assert url.startswith(PUBLIC_URL), url
        return str(self.server.make_url(url.removeprefix(PUBLIC_URL)))

    async def get(self, url: str) -> Page:
        async with self.session.get(url, allow_redirects=False) as response:
            return Page(response.status, await response.text(), dict(response.headers))

    async def say(self, text: str, person: Person = ANA) -> Say:
        replies: list[Reply] = await self.app.commands.run(
            person=person, place=Place.direct(person), text=text
        )
        assert len(replies) == 1 and isinstance(replies[0], Say), replies
        return replies[0]

    async def sign_in_link(self, person: Person = ANA) -> str:
        said = await self.say("link github", person)
        [button] = said.choices
        assert button.url in said.text
        return button.url

    async def to_github(self, link: str) -> Page:
        """The bot's sign-in page: a redirect to GitHub's authorize page."""
        return await self.get(self.local(link))

    async def sign_in(self, person: Person = ANA) -> tuple[str, Page]:
        """The whole way: link, redirect, GitHub's page, back to the callback."""
        link = await self.sign_in_link(person)
        redirect = await self.to_github(link)
        assert redirect.status == 302, redirect.text
        authorize = await self.get(redirect.headers["Location"])
        assert authorize.status == 200
        callback = self.fake.oauth.callbacks[-1]
        return callback, await self.get(self.local(callback))


def state_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["state"][0]


@pytest.fixture
def identity_overrides() -> dict[str, Any]:
    return {}


@pytest.fixture
def identity_app(
    tmp_path: Path, fake_github: FakeGitHub, identity_overrides: dict[str, Any]
) -> App:
    settings = app_settings(
        tmp_path,
        fake_github.api_url,
        github_client_id=CLIENT_ID,
        github_client_secret=SecretStr(CLIENT_SECRET),
        github_web_url=fake_github.web_url,
        dslp_secret_key=SecretStr(SECRET_KEY),
        dslp_public_url=PUBLIC_URL,
        dslp_admins=ADMIN.key,
        **identity_overrides,
    )
    return build(settings)


@pytest.fixture
async def browser(identity_app: App, fake_github: FakeGitHub) -> AsyncIterator[Browser]:
    chat = RecordingOutbox()
    identity_app.outbox.register("slack", chat)
    mount = oauth_mount(identity_app)
    mounts = [] if isinstance(mount, str) else [mount]
    server = TestServer(create_web_app(identity_app, mounts), host="127.0.0.1")
    await server.start_server()
    async with ClientSession() as session:
        yield Browser(identity_app, fake_github, session, server, chat)
    await server.close()
    identity_app.database.dispose()
