"""`dslp-bot backfill` then `dslp-bot report`: one self-contained HTML file, escaped, that a
real browser (headless Chromium) renders with its charts."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from adapters.cli import main
from bot.insights.chart import draw
from bot.insights.measures import measure
from bot.insights.model import Aging, Handoff
from bot.insights.report import page
from tests.fakes.github_api import FakeGitHub
from tests.insights.conftest import load_history
from tests.insights.history import HISTORY, WINDOW
from tests.support.databases import app_database_url

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_github: FakeGitHub) -> Path:
    """The environment `dslp-bot` reads, pointing at the fake GitHub; the working directory."""
    settings = {
        "GITHUB_TOKEN": "test-token",
        "GITHUB_REPOSITORY": "octo/dslp",
        "GITHUB_API_URL": fake_github.api_url,
        "DSLP_DATABASE_URL": app_database_url(tmp_path),
        "DSLP_DATA_DIR": str(tmp_path / "data"),
        "DSLP_GITHUB_REQUEST_GAP": "0",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    load_history(fake_github)
    return tmp_path


def test_backfill_then_report_write_one_html_file(
    configured: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backfill", "--repo", "octo/dslp"]) == 0
    said = capsys.readouterr().out
    assert "octo/dslp: 1 page(s) read, 27 new event(s); history since 2026-01-03" in said
    out = configured / "report.html"
    assert main(["report", "--out", str(out), "--period", "all"]) == 0
    assert "octo/dslp: history since 2026-01-03" in capsys.readouterr().out
    html = out.read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 1
    assert "Success rate" in html and "Ask #1" in html


def test_the_report_says_when_there_is_no_history(
    configured: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = configured / "empty.html"
    assert main(["report", "--out", str(out)]) == 0
    assert "octo/dslp: no history yet" in capsys.readouterr().out
    assert "No history yet" in out.read_text(encoding="utf-8")
    assert main(["report", "--out", str(out), "--period", "fortnight"]) == 2


def hostile_page() -> str:
    insights = measure(HISTORY, WINDOW)
    aged = Aging(6, HOSTILE, Handoff.BLOCKED, insights.aging[0].age, "p85")
    hostile = replace(insights, repository=f"octo/{HOSTILE}", aging=(aged,))
    return page([(hostile, draw(insights))])


def test_everything_from_outside_is_escaped_and_nothing_loads_from_the_network() -> None:
    html = hostile_page()
    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "default-src 'none'" in html
    assert not re.search(r"(src|href)=['\"]?(https?:|//)", html)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed (apt-get install chromium)")
def test_headless_chromium_renders_the_charts(tmp_path: Path) -> None:
    from PIL import Image

    report = tmp_path / "report.html"
    report.write_text(hostile_page(), encoding="utf-8")
    shot = tmp_path / "shot.png"
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1100,900",
            f"--screenshot={shot}",
            report.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16) or []
    chart_colours = {(0x67, 0xD1, 0x57), (0xC2, 0x02, 0x1C), (0x0B, 0x4E, 0x82)}
    seen: set[tuple[int, int, int]] = {colour for _, colour in colours}  # type: ignore[misc]
    assert len(seen) > 20, "the page is blank"
    assert any(_near(colour, seen) for colour in chart_colours), "the chart is not drawn"


def _near(colour: tuple[int, int, int], seen: set[tuple[int, int, int]]) -> bool:
    return any(sum(abs(a - b) for a, b in zip(colour, other, strict=True)) < 24 for other in seen)
