"""Teams' rate limits, Retry-After, and the app package a Teams admin uploads."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.composition import build
from adapters.teams.delivery import RateLimiter, RetryPolicy, Window, retry_after
from adapters.teams.package import COMMANDS, PackageSettings, manifest, write_package
from tests.fakes.github_api import FakeGitHub
from tests.support.doubles import FakeClock
from tests.teams.conftest import teams_settings


async def test_the_limiter_keeps_seven_a_second_and_sixty_per_thirty_seconds() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock.monotonic, sleep=clock.sleep)
    for _ in range(7):
        await limiter.wait("c1")
    assert clock.monotonic() == 0.0
    await limiter.wait("c1")
    assert clock.monotonic() == pytest.approx(1.0)
    for _ in range(52):
        await limiter.wait("c1")
    assert clock.monotonic() < 30.0
    await limiter.wait("c1")
    assert clock.monotonic() == pytest.approx(30.0)


async def test_the_limiter_counts_each_conversation_alone() -> None:
    clock = FakeClock()
    limiter = RateLimiter((Window(1, 1.0),), clock=clock.monotonic, sleep=clock.sleep)
    await limiter.wait("a")
    await limiter.wait("b")
    assert clock.slept == []


def test_retry_after_seconds_dates_and_nonsense() -> None:
    assert retry_after({"Retry-After": "3"}) == 3.0
    assert retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert retry_after({"Retry-After": "soon"}) is None
    assert retry_after(None) is None
    policy = RetryPolicy(max_delay=10.0)
    assert policy.delay(0, {"Retry-After": "60"}) == 10.0
    assert 0 < policy.delay(3, {}) <= 10.0


def test_the_manifest_lists_the_bot_scopes_commands_and_domain() -> None:
    app_id = "00000000-0000-4000-8000-000000000001"
    built = manifest(PackageSettings(public_url="https://bot.example.com/", app_id=app_id))
    assert built["manifestVersion"] == "1.17" and built["id"] == app_id
    [bot] = built["bots"]
    assert bot["botId"] == app_id
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    titles = [c["title"] for c in bot["commandLists"][0]["commands"]]
    assert titles == ["ask", "status", "digest", "help"]
    assert built["validDomains"] == ["bot.example.com"]


def test_without_an_app_id_the_id_is_generated_and_stable() -> None:
    first = PackageSettings(public_url="https://bot.example.com").manifest_id
    assert first == PackageSettings(public_url="https://bot.example.com").manifest_id
    assert first != PackageSettings(public_url="https://other.example.com").manifest_id


def test_the_manifest_refuses_a_missing_or_plain_http_url() -> None:
    for url in ("", "http://bot.example.com", "not a url"):
        with pytest.raises(ValueError):
            manifest(PackageSettings(public_url=url))


def test_the_manifest_commands_are_real_commands(tmp_path: Path, fake_github: FakeGitHub) -> None:
    app = build(teams_settings(tmp_path, fake_github))
    try:
        assert {word for word, _ in COMMANDS} <= set(app.commands.names)
    finally:
        app.database.dispose()


def test_teams_package_writes_a_zip_with_the_manifest_and_two_icons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DSLP_PUBLIC_URL", "https://bot.example.com")
    monkeypatch.delenv("MICROSOFT_APP_ID", raising=False)
    out = tmp_path / "teams.zip"
    assert main(["teams-package", "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        assert json.loads(archive.read("manifest.json"))["icons"]["outline"] == "outline.png"
        assert _png_size(archive.read("color.png")) == (192, 192)
        assert _png_size(archive.read("outline.png")) == (32, 32)
    assert "generated id" in capsys.readouterr().err


def test_teams_package_without_a_public_url_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DSLP_PUBLIC_URL", raising=False)
    assert main(["teams-package", "--out", str(tmp_path / "x.zip")]) == 2
    assert "DSLP_PUBLIC_URL" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()
    assert main(["teams-package", "--app-id", "nope", "--public-url", "https://b.example"]) == 2


def test_write_package_creates_parent_folders(tmp_path: Path) -> None:
    out = write_package(PackageSettings(public_url="https://b.example"), tmp_path / "a" / "b.zip")
    assert out.exists()


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height
