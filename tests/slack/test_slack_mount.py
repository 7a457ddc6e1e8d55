"""The Slack mount: off with a reason, HTTP route, or Socket Mode; listed for `dslp-bot serve`."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from adapters.composition import build
from adapters.composition.mounts import MOUNTS
from adapters.slack.app import api_base_url
from adapters.slack.mount import PATH, slack_mount
from adapters.slack.switch import OFF
from tests.support.apps import app_settings


def test_slack_is_off_with_a_reason_unless_both_secrets_are_set(tmp_path: Path) -> None:
    app = build(app_settings(tmp_path, slack_bot_token=SecretStr("xoxb-1")))
    try:
        assert slack_mount(app) == OFF
    finally:
        app.database.dispose()


def test_http_mode_contributes_the_events_route(tmp_path: Path) -> None:
    settings = app_settings(
        tmp_path, slack_bot_token=SecretStr("xoxb-1"), slack_signing_secret=SecretStr("s")
    )
    app = build(settings)
    try:
        mount = slack_mount(app)
        assert not isinstance(mount, str)
        assert [route.path for route in mount.routes] == [PATH]
    finally:
        app.database.dispose()


def test_an_app_token_switches_to_socket_mode_without_a_route(tmp_path: Path) -> None:
    settings = app_settings(
        tmp_path,
        slack_bot_token=SecretStr("xoxb-1"),
        slack_signing_secret=SecretStr("s"),
        slack_app_token=SecretStr("xapp-1"),
    )
    app = build(settings)
    try:
        mount = slack_mount(app)
        assert not isinstance(mount, str)
        assert mount.routes == () and "socket" in mount.name
        started = [hook.__name__ for hook in mount.on_startup]
        stopped = [hook.__name__ for hook in mount.on_cleanup]
        assert started == ["open_session", "start_forgetting", "start_socket_mode"]
        assert stopped == ["stop_socket_mode", "drain", "close_session", "stop"]
    finally:
        app.database.dispose()


def test_slack_is_listed_for_serve_and_the_api_url_gets_its_slash(tmp_path: Path) -> None:
    assert "slack" in dict(MOUNTS)
    settings = app_settings(tmp_path, slack_api_url="http://127.0.0.1:9/api")
    assert api_base_url(settings) == "http://127.0.0.1:9/api/"
