"""`make run` first checks Chromium, Pango and fonts, and says in French the one command that
installs what is missing."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(ROOT / "bin" / "check-prerequisites")],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )


def test_a_missing_browser_is_said_with_the_command_that_installs_it(tmp_path: Path) -> None:
    result = run(BROWSER_PATH=str(tmp_path / "chromium"))
    assert result.returncode == 0  # the platform starts, without charts
    assert "Prérequis manquants : Chromium" in result.stderr
    assert "install" in result.stderr and "chromium" in result.stderr
    assert "sans graphiques" in result.stderr


def test_nothing_is_said_when_all_is_there(tmp_path: Path) -> None:
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    result = run(BROWSER_PATH=str(browser))
    assert result.returncode == 0 and result.stderr == ""


def test_the_make_run_target_checks_first() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "run: prerequisites install" in makefile
    assert "sh bin/check-prerequisites" in makefile
