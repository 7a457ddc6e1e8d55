"""The Bot Framework's token side, on 127.0.0.1: OpenID metadata, signing keys, signed tokens.

`FakeBotFrameworkKeys` serves the metadata document and the JWKS it points
to, and signs real RS256 tokens with keys generated here, the way the Bot
Connector signs the activities it POSTs to a bot. `unpublished` signs with a
key the JWKS does not list; `skype_key` is listed but endorsed for another
channel only.

`FakeEntra` hands the bot its outgoing token. MSAL insists on an https
authority and asks login.microsoftonline.com to discover it, so Entra cannot
be an http fake on 127.0.0.1; it plugs in at the SDK's own `Connections`
seam instead, and records what was asked for.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import jwt
from aiohttp import web
from azure.core.credentials_async import AsyncTokenCredential
from cryptography.hazmat.primitives.asymmetric import rsa
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import AgentAuthConfiguration, ClaimsIdentity
from microsoft_agents.hosting.core.authorization import Connections
from microsoft_agents.hosting.core.authorization.access_token_provider_base import (
    AccessTokenProviderBase,
)

from tests.fakes.loopback import LoopbackServer

ISSUER = "https://api.botframework.com"
OUTGOING_TOKEN = "fake-entra-token-for-the-bot"


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class SigningKey:
    def __init__(self, kid: str, endorsements: list[str] | None) -> None:
        self.kid = kid
        self.endorsements = endorsements
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self) -> dict[str, Any]:
        numbers = self.private.public_key().public_numbers()
        key: dict[str, Any] = {
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "n": _b64(numbers.n),
            "e": _b64(numbers.e),
        }
        if self.endorsements is not None:
            key["endorsements"] = self.endorsements
        return key


class FakeBotFrameworkKeys(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.teams_key = SigningKey("teams-key", ["msteams", "webchat"])
        self.skype_key = SigningKey("skype-key", ["skype"])
        self.plain_key = SigningKey("plain-key", None)
        self.unpublished = SigningKey("teams-key-2", ["msteams"])
        self.published = [self.teams_key, self.skype_key, self.plain_key]
        self.key_reads = 0

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/v1/.well-known/keys", self._keys)

    @property
    def metadata_url(self) -> str:
        return f"{self.base}/v1/.well-known/openidconfiguration"

    def token(
        self,
        *,
        audience: str,
        service_url: str,
        key: SigningKey | None = None,
        issuer: str = ISSUER,
        expires_in: float = 3600,
        **claims: Any,
    ) -> str:
        """A token shaped like the Bot Connector's (see its `serviceurl` claim)."""
        signer = key or self.teams_key
        now = int(time.time())
        payload = {
            "iss": issuer,
            "aud": audience,
            "serviceurl": service_url,
            "nbf": now - 60,
            "iat": now - 60,
            "exp": int(now + expires_in),
            **claims,
        }
        return jwt.encode(payload, signer.private, algorithm="RS256", headers={"kid": signer.kid})

    async def _metadata(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": ISSUER,
                "authorization_endpoint": "https://invalid.example/v1/auth",
                "jwks_uri": f"{self.base}/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        )

    async def _keys(self, request: web.Request) -> web.Response:
        self.key_reads += 1
        return web.json_response({"keys": [key.jwk() for key in self.published]})


class FakeEntra(Connections, AccessTokenProviderBase):
    """The SDK's `Connections`, handing out one fixed outgoing token and counting requests."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, list[str]]] = []
        self._configuration = AgentAuthConfiguration(client_id="fake", tenant_id="fake")

    @property
    def configuration(self) -> AgentAuthConfiguration:
        return self._configuration

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        self.requests.append((resource_url, scopes))
        return OUTGOING_TOKEN

    def get_token_credential(self) -> AsyncTokenCredential:
        raise NotImplementedError("not used by the bot")

    async def acquire_token_on_behalf_of(self, scopes: list[str], user_assertion: str) -> str:
        raise NotImplementedError("not used by the bot")

    async def get_agentic_application_token(
        self, tenant_id: str, agent_app_instance_id: str
    ) -> str | None:
        raise NotImplementedError("not used by the bot")

    async def get_agentic_instance_token(
        self, tenant_id: str, agent_app_instance_id: str
    ) -> tuple[str, str]:
        raise NotImplementedError("not used by the bot")

    async def get_agentic_user_token(
        self, tenant_id: str, agent_app_instance_id: str, agentic_user_id: str, scopes: list[str]
    ) -> str | None:
        raise NotImplementedError("not used by the bot")

    def get_connection(self, connection_name: str) -> FakeEntra:
        return self

    def get_default_connection(self) -> FakeEntra:
        return self

    def get_token_provider(self, claims_identity: ClaimsIdentity, service_url: str) -> FakeEntra:
        return self

    def get_token_provider_from_activity(
        self, claims_identity: ClaimsIdentity, activity: Activity
    ) -> FakeEntra:
        return self

    def get_default_connection_configuration(self) -> AgentAuthConfiguration:
        return self._configuration
