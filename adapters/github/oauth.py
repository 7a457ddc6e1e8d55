"""The sign-in pages: `/github/signin` sends the browser to GitHub, the callback comes back.

The pages are plain HTML with every value escaped, no script, and a
Content-Security-Policy that allows nothing to load; the state and the
code sit in URLs, so no page passes a Referer on and none is cached.
"""

from __future__ import annotations

import html

from aiohttp import web

from adapters.app import App, Mount
from bot.identity.model import SignedIn, SignInFailure
from bot.identity.service import CALLBACK_PATH, SIGN_IN_PATH, Identities
from bot.texts import identity as t

OFF = "set GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, DSLP_SECRET_KEY and DSLP_PUBLIC_URL"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
FAILURES: dict[SignInFailure, tuple[int, str]] = {
    SignInFailure.UNKNOWN: (400, t.PAGE_UNKNOWN),
    SignInFailure.EXPIRED: (410, t.PAGE_EXPIRED),
    SignInFailure.DENIED: (403, t.PAGE_DENIED),
    SignInFailure.GITHUB: (502, t.PAGE_GITHUB),
}


def oauth_mount(app: App) -> Mount | str:
    if not app.identities.can_sign_in:
        return OFF
    pages = SignInPages(app.identities)
    routes = [web.get(SIGN_IN_PATH, pages.sign_in), web.get(CALLBACK_PATH, pages.callback)]
    return Mount("github sign-in", routes)


class SignInPages:
    def __init__(self, identities: Identities) -> None:
        self._identities = identities

    async def sign_in(self, request: web.Request) -> web.StreamResponse:
        found = await self._identities.redirect_for(request.query.get("state", ""))
        if isinstance(found, SignInFailure):
            return failed(found)
        raise web.HTTPFound(found, headers=HEADERS)

    async def callback(self, request: web.Request) -> web.Response:
        state, code = request.query.get("state", ""), request.query.get("code", "")
        done = await self._identities.complete(state=state, code=code)
        if isinstance(done, SignedIn):
            return page(200, t.PAGE_SIGNED_IN.format(login=done.login))
        return failed(done)


def failed(failure: SignInFailure) -> web.Response:
    status, text = FAILURES[failure]
    return page(status, text)


def page(status: int, text: str) -> web.Response:
    body = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(t.PAGE_TITLE)}</title></head>"
        f"<body><h1>{html.escape(t.PAGE_TITLE)}</h1><p>{html.escape(text)}</p></body></html>\n"
    )
    return web.Response(status=status, text=body, content_type="text/html", headers=HEADERS)
