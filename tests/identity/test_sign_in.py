"""`link github` through GitHub's web sign-in, on the real server: good, reused, expired, forged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import text

from bot.identity.model import state_hash
from tests.fakes.github_oauth import CLIENT_ID
from tests.identity.conftest import ANA, BEN, PUBLIC_URL, Browser, state_of


async def linked_members(browser: Browser, login: str) -> tuple[str, ...]:
    people = browser.app.notifications.people
    return (await people.members_for_logins(scope=ANA.scope, logins=[login])).get(login, ())


async def test_signing_in_links_the_verified_login_and_the_chat_confirms(browser: Browser) -> None:
    _, page = await browser.sign_in()
    assert page.status == 200
    assert "Signed in as @ana-gh" in page.text
    assert "<script" not in page.text
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Referrer-Policy"] == "no-referrer"
    identity = await browser.app.identities.identity(ANA.member)
    assert identity is not None and identity.verified and identity.login == "ana-gh"
    assert await linked_members(browser, "ana-gh") == (ANA.key,)
    [(place, said)] = browser.chat.replies
    assert place.channel_id == "dm:UANA" and "GitHub @ana-gh is you" in getattr(said, "text", "")


async def test_the_redirect_names_the_client_the_state_and_the_callback(browser: Browser) -> None:
    link = await browser.sign_in_link()
    assert link.startswith(f"{PUBLIC_URL}/github/signin?state=")
    redirect = await browser.to_github(link)
    assert redirect.status == 302
    location = urlsplit(redirect.headers["Location"])
    assert f"{location.scheme}://{location.netloc}" == browser.fake.web_url
    assert location.path == "/login/oauth/authorize"
    query = parse_qs(location.query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["state"] == [state_of(link)]
    assert query["redirect_uri"] == [f"{PUBLIC_URL}/github/oauth/callback"]


async def test_only_a_hash_of_the_state_is_stored(browser: Browser) -> None:
    link = await browser.sign_in_link()
    state = state_of(link)
    with browser.app.database.engine.connect() as connection:
        stored = list(connection.execute(text("SELECT state_hash FROM github_sign_ins")).scalars())
    assert stored == [state_hash(state)] and state not in stored


async def test_a_reused_callback_links_nobody_again(browser: Browser) -> None:
    callback, _ = await browser.sign_in()
    await browser.say("link github off")
    again = await browser.get(browser.local(callback))
    assert again.status == 400
    assert "used already" in again.text
    assert await browser.app.identities.identity(ANA.member) is None


async def test_a_used_link_cannot_start_another_sign_in(browser: Browser) -> None:
    link = await browser.sign_in_link()
    redirect = await browser.to_github(link)
    await browser.get(redirect.headers["Location"])
    assert (await browser.get(browser.local(browser.fake.oauth.callbacks[-1]))).status == 200
    assert (await browser.to_github(link)).status == 400


async def test_an_expired_link_says_so_and_links_nobody(browser: Browser) -> None:
    link = await browser.sign_in_link()
    redirect = await browser.to_github(link)
    await browser.get(redirect.headers["Location"])
    past = datetime.now(UTC) - timedelta(seconds=1)
    with browser.app.database.engine.begin() as connection:
        connection.execute(text("UPDATE github_sign_ins SET expires_at = :t"), {"t": past})
    assert (await browser.to_github(link)).status == 410
    page = await browser.get(browser.local(browser.fake.oauth.callbacks[-1]))
    assert page.status == 410 and "expired" in page.text
    assert await browser.app.identities.identity(ANA.member) is None
    assert browser.chat.sent == []


async def test_a_forged_state_links_nobody(browser: Browser) -> None:
    for url in (
        "/github/signin?state=forged",
        "/github/signin",
        "/github/oauth/callback?code=abc&state=forged",
        "/github/oauth/callback?code=abc",
        "/github/oauth/callback?state=%3Cscript%3E",
    ):
        page = await browser.get(str(browser.server.make_url(url)))
        assert page.status == 400, url
        assert "<script>" not in page.text
    assert await browser.app.identities.identity(ANA.member) is None


async def test_a_state_is_bound_to_the_person_who_asked(browser: Browser) -> None:
    """Ben signs in with the link Ana was given: it links Ana's member key, not Ben's."""
    browser.fake.oauth.signed_in = "ben-gh"
    await browser.sign_in(ANA)
    identity = await browser.app.identities.identity(ANA.member)
    assert identity is not None and identity.login == "ben-gh"
    assert await browser.app.identities.identity(BEN.member) is None


async def test_a_person_who_says_no_at_github_is_told_and_linked_to_nobody(
    browser: Browser,
) -> None:
    link = await browser.sign_in_link()
    denied = f"/github/oauth/callback?error=access_denied&state={state_of(link)}"
    page = await browser.get(str(browser.server.make_url(denied)))
    assert page.status == 403
    assert await browser.app.identities.identity(ANA.member) is None


async def test_a_code_github_refuses_links_nobody(browser: Browser) -> None:
    link = await browser.sign_in_link()
    bad = f"/github/oauth/callback?code=never-issued&state={state_of(link)}"
    page = await browser.get(str(browser.server.make_url(bad)))
    assert page.status == 502 and "nothing was linked" in page.text
    assert await browser.app.identities.identity(ANA.member) is None


async def test_a_typed_login_only_gets_the_sign_in_link(browser: Browser) -> None:
    said = await browser.say("link github ana-gh", BEN)
    assert "not proof" in said.text and "/github/signin?state=" in said.text
    assert await browser.app.identities.identity(BEN.member) is None


async def test_link_github_off_unlinks_and_revokes_the_token(browser: Browser) -> None:
    await browser.sign_in()
    [token] = browser.fake.oauth.tokens
    assert "Unlinked" in (await browser.say("link github off")).text
    assert browser.fake.oauth.revoked == [token]
    assert await browser.app.identities.identity(ANA.member) is None
    assert await linked_members(browser, "ana-gh") == ()
    assert "no GitHub login" in (await browser.say("link github off")).text
