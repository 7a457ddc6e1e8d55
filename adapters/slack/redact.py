"""Keep request bodies, tokens and secrets out of the logs.

Bolt logs the whole body of a request whose signature fails (at INFO), and
slack_sdk logs request parameters at DEBUG. Bolt copies its base logger's
level and filters to every logger it creates, so passing it a logger set
to WARNING with a redacting filter covers them all; the filter also sits
on the loggers known to print bodies, in case they were made earlier.
"""

from __future__ import annotations

import logging
import re

from bot.config import Settings

REDACTED = "[redacted]"
LEAKY_LOGGERS = (
    "slack_bolt.AsyncRequestVerification",
    "slack_bolt.AsyncApp",
    "slack_sdk.web.async_base_client",
    "slack_sdk.webhook.async_client",
    "slack_sdk.socket_mode.aiohttp",
)
_BODY = re.compile(r"(body|payload|json_body|body_params|query_params)(['\"]?\s*[:=]\s*).*", re.S)
_TOKENS = re.compile(r"xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")


class Redact(logging.Filter):
    """Rewrites a record's message with bodies, tokens and the given secrets removed."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__("dslp-redact")
        self._secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True

    def clean(self, text: str) -> str:
        text = _BODY.sub(rf"\1\2{REDACTED}", text)
        text = _TOKENS.sub(REDACTED, text)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


def secrets_of(settings: Settings) -> tuple[str, ...]:
    return tuple(
        value.get_secret_value()
        for value in (
            settings.slack_bot_token,
            settings.slack_signing_secret,
            settings.slack_app_token,
        )
    )


def quiet_logger(name: str, settings: Settings) -> logging.Logger:
    """A WARNING-level logger with the redacting filter, for Bolt or slack_sdk to use as base."""
    redact = Redact(secrets_of(settings))
    logger = logging.getLogger(name)
    logger.setLevel(logging.WARNING)
    _add_once(logger, redact)
    for leaky in LEAKY_LOGGERS:
        _add_once(logging.getLogger(leaky), redact)
    return logger


def _add_once(logger: logging.Logger, redact: Redact) -> None:
    for existing in list(logger.filters):
        if isinstance(existing, Redact):
            logger.removeFilter(existing)
    logger.addFilter(redact)
