"""Bot Framework channel tokens, checked by us before anything runs.

The SDK's own validator accepts a token for our app id from any issuer and
only logs a `serviceurl` claim that differs from the activity's; a forged
activity could then act as anyone and make the bot send its own bearer token
to the forger's host. Here a token counts only when the Bot Connector issued
it (`iss`), for this bot (`aud`), signed with a key from the Bot Framework's
OpenID metadata that is endorsed for the activity's channel, not expired,
and for the very `serviceUrl` the activity names.

`verify` (the token alone) and `ChannelToken.fits` (token against activity)
are pure; `OpenIdKeys` fetches and caches the keys.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import jwt

log = logging.getLogger(__name__)

ISSUER = "https://api.botframework.com"
ALGORITHM = "RS256"
LEEWAY_SECONDS = 300
"""The Bot Framework's own allowance for clock skew."""
REFRESH_GAP_SECONDS = 300.0
"""An unknown key id refetches the keys at most this often, so bad tokens cannot make us hammer."""
MAX_AGE_SECONDS = 24 * 3600.0
"""Keys are read again at least daily: the Bot Framework rolls them."""
FETCH_TIMEOUT_SECONDS = 10.0


class TokenRejected(Exception):
    """Not a token the Bot Connector issued for us; the message says why, never the token."""


@dataclass(frozen=True)
class SigningKey:
    key: jwt.PyJWK
    endorsements: frozenset[str] | None
    """The channels the key may sign for; None when the key lists none."""


@dataclass(frozen=True)
class ChannelToken:
    """A verified token: its claims and the endorsements of the key that signed it."""

    claims: dict[str, Any]
    endorsements: frozenset[str] | None

    def fits(self, activity: Mapping[str, Any]) -> bool:
        """Issued for this activity's serviceUrl, by a key endorsed for its channel."""
        service_url = activity.get("serviceUrl")
        claimed = self.claims.get("serviceurl")
        if not isinstance(service_url, str) or not service_url or claimed != service_url:
            return False
        channel = activity.get("channelId")
        if self.endorsements is None or not channel:
            return True
        return isinstance(channel, str) and channel in self.endorsements


def verify(
    token: str, keys: Mapping[str, SigningKey], *, app_id: str, now: float | None = None
) -> ChannelToken:
    """Signature, issuer, audience and expiry; raises TokenRejected."""
    if not app_id:
        raise TokenRejected("no app id to check the audience against")
    found = keys.get(key_id(token))
    if found is None:
        raise TokenRejected("unknown signing key")
    try:
        claims = jwt.decode(
            token,
            found.key,
            algorithms=[ALGORITHM],
            audience=app_id,
            issuer=ISSUER,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iss", "aud"]},
        )
    except jwt.PyJWTError as error:
        raise TokenRejected(type(error).__name__) from error
    if claims.get("aud") != app_id:
        raise TokenRejected("wrong audience")
    return ChannelToken(claims=claims, endorsements=found.endorsements)


def key_id(token: str) -> str:
    """The `kid` the token's unverified header names, to pick the key that must have signed it."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise TokenRejected("not a JWT") from error
    return str(header.get("kid") or "")


def parse_keys(document: object) -> dict[str, SigningKey]:
    """A JWKS document's usable RSA keys by key id; odd entries are skipped, never fatal."""
    entries = document.get("keys") if isinstance(document, Mapping) else None
    keys: dict[str, SigningKey] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping) or entry.get("kty") != "RSA" or not entry.get("kid"):
            continue
        try:
            key = jwt.PyJWK(dict(entry), algorithm=ALGORITHM)
        except jwt.PyJWTError:
            continue
        endorsed = entry.get("endorsements")
        endorsements = frozenset(str(e) for e in endorsed) if isinstance(endorsed, list) else None
        keys[str(entry["kid"])] = SigningKey(key=key, endorsements=endorsements)
    return keys


def url_problem(url: str, name: str) -> str:
    """Why the bot must not fetch keys from `url` ("" = fine): https, or http to loopback only."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return ""
    if parts.scheme == "http" and is_loopback(parts.hostname or ""):
        return ""
    return f"{name}={url!r} must be an https:// URL (plain http only for 127.0.0.1, ::1, localhost)"


def is_loopback(host: str) -> bool:
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


ANONYMOUS = ChannelToken(claims={}, endorsements=None)
"""What a request without a token is, when DSLP_TEAMS_ALLOW_ANONYMOUS=1 allows it."""


async def authenticate(
    header: str | None, keys: OpenIdKeys, *, app_id: str, anonymous: bool
) -> ChannelToken | None:
    """The verified token of an `Authorization` header, ANONYMOUS, or None (401)."""
    if not header:
        return ANONYMOUS if anonymous else None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.casefold() != "bearer" or not token or " " in token:
        return None
    try:
        return verify(token, await keys.for_key(key_id(token)), app_id=app_id)
    except TokenRejected as rejected:
        log.warning("Teams request rejected: %s", rejected)
        return None


class OpenIdKeys:
    """The Bot Framework's signing keys, read through its OpenID metadata and cached.

    Read when first needed and at least daily; a token naming a key we do not
    know triggers one early read, at most every REFRESH_GAP_SECONDS.
    """

    def __init__(self, metadata_url: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._metadata_url = metadata_url
        self._clock = clock
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()

    async def for_key(self, kid: str) -> Mapping[str, SigningKey]:
        if self._due(kid):
            async with self._lock:
                if self._due(kid):
                    await self._refresh()
        return self._keys

    def _due(self, kid: str) -> bool:
        now = self._clock()
        if self._attempted_at is not None and now - self._attempted_at <= REFRESH_GAP_SECONDS:
            return False
        stale = self._fetched_at is None or now - self._fetched_at > MAX_AGE_SECONDS
        return stale or kid not in self._keys

    async def _refresh(self) -> None:
        self._attempted_at = self._clock()
        try:
            self._keys = await self._fetch()
            self._fetched_at = self._attempted_at
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            log.warning("could not read the Bot Framework signing keys: %s", type(error).__name__)

    async def _fetch(self) -> dict[str, SigningKey]:
        timeout = aiohttp.ClientTimeout(total=FETCH_TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout, raise_for_status=True) as session:
            metadata = await _json(session, self._metadata_url)
            jwks_uri = metadata.get("jwks_uri") if isinstance(metadata, Mapping) else None
            if not isinstance(jwks_uri, str) or url_problem(jwks_uri, "jwks_uri"):
                raise ValueError("the OpenID metadata names no usable jwks_uri")
            return parse_keys(await _json(session, jwks_uri))


async def _json(session: aiohttp.ClientSession, url: str) -> object:
    async with session.get(url, allow_redirects=False) as response:
        return await response.json(content_type=None)
