"""The console adapter end to end: the real `dslp-bot chat` process, scripted through stdin."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ANSWERS = [
    "Predict which customers will cancel next quarter",
    "Customer success learns about cancellations only after they happen, so offers come too late.",
    "As a CSM, I can see risky accounts every Monday so that I call them first "
    "instead of alphabetically.",
    "A monthly spreadsheet built by hand.",
    "At least 60% of cancelling accounts flagged 30 days ahead.",
    "skip",
    "Churn down from 3.1% to 2.5%; counter-balance: calls per manager must not exceed 50 a week.",
    "No personal data leaves the EU.",
    "CRM accounts (Sales Ops), usage events (Data Platform).",
    "Head of Customer Success.",
    "submit",
]


def chat(tmp_path: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", "chat"],
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=60,
        check=False,
    )


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "DSLP_", "SLACK_"))}
    env["DSLP_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return env


def test_a_scripted_ask_becomes_a_local_issue_with_every_section(tmp_path: Path) -> None:
    result = chat(tmp_path, "\n".join(ANSWERS) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Filed #1" in result.stdout
    issue = (tmp_path / "data" / "issues" / "1.md").read_text(encoding="utf-8")
    for heading in (
        "## Problem Statement",
        "### Desired Outcome",
        "### Current State",
        "## Success Criteria",
        "### Metrics",
        "### Constraints",
        "### Datasets",
        "## Approaches and Experiments",
    ):
        assert heading in issue
    assert "Impact" in issue.split("### Impact", 1)[0] or "- [ ] Impact" in issue
    assert "offline mode" in result.stderr


def test_the_draft_survives_the_end_of_input_and_is_resumed(tmp_path: Path) -> None:
    first = chat(tmp_path, "\n".join(ANSWERS[:3]) + "\n")
    assert "draft is saved" in first.stdout
    second = chat(tmp_path, "resume\n" + "\n".join(ANSWERS[3:]) + "\n")
    assert "unfinished Ask" in second.stdout
    assert "Filed #1" in second.stdout


def test_killing_the_process_mid_flow_keeps_every_answer_given(tmp_path: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(tmp_path),
    ) as process:
        assert process.stdin is not None
        for answer in ANSWERS[:2]:
            process.stdin.write(answer + "\n")
            process.stdin.flush()
        _wait_for(process, "Desired outcome")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    resumed = chat(tmp_path, "resume\n")
    assert "2 of 10 parts answered" in resumed.stdout
    assert "Desired outcome" in resumed.stdout


def _wait_for(process: subprocess.Popen[str], text: str) -> None:
    assert process.stdout is not None
    deadline = time.monotonic() + 30
    seen = ""
    while text not in seen and time.monotonic() < deadline:
        seen += process.stdout.readline()
    assert text in seen
