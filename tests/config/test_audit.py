"""make audit: pip-audit on requirements.lock fails on a vulnerability, not on an offline service."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

AUDIT = Path(__file__).resolve().parents[2] / ".ci" / "audit.py"


def run_with_fake_pip_audit(tmp_path: Path, report: dict | None) -> subprocess.CompletedProcess:
    """Runs .ci/audit.py with a pip-audit stand-in that writes ``report`` (None: no network)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(sys.executable, bin_dir / "python")
    fake = bin_dir / "pip-audit"
    if report is None:
        fake.write_text("#!/bin/sh\necho 'ConnectionError: pypi.org unreachable' >&2\nexit 1\n")
    else:
        fake.write_text(
            '#!/bin/sh\nwhile [ $# -gt 0 ]; do [ "$1" = --output ] && out=$2; shift; done\n'
            f"cat > \"$out\" <<'JSON'\n{json.dumps(report)}\nJSON\n"
        )
    fake.chmod(0o755)
    return subprocess.run(
        [str(bin_dir / "python"), str(AUDIT)], capture_output=True, text=True, check=False
    )


def test_a_known_vulnerability_fails(tmp_path: Path) -> None:
    report = {
        "dependencies": [
            {"name": "django", "version": "4.2.0", "vulns": [
                {"id": "PYSEC-2023-100", "fix_versions": ["4.2.2"]}]},
            {"name": "pandas", "version": "3.1.1", "vulns": []},
        ]
    }  # fmt: skip
    result = run_with_fake_pip_audit(tmp_path, report)
    assert result.returncode == 1
    assert "VULNÉRABLE django 4.2.0 : PYSEC-2023-100 (corrigé en 4.2.2)" in result.stdout


def test_packages_the_service_does_not_know_are_listed_without_failing(tmp_path: Path) -> None:
    report = {
        "dependencies": [
            {"name": "pandas", "version": "3.1.1", "vulns": []},
            {"name": "django", "skip_reason": "Dependency not found on PyPI"},
        ]
    }
    result = run_with_fake_pip_audit(tmp_path, report)
    assert result.returncode == 0
    assert "1 paquets audités, 0 vulnérable(s)" in result.stdout
    assert "audit incomplet : 1 paquet(s) non vérifiés (django)" in result.stdout


def test_an_unreachable_service_is_said_and_does_not_fail(tmp_path: Path) -> None:
    result = run_with_fake_pip_audit(tmp_path, None)
    assert result.returncode == 0
    assert "audit NON effectué" in result.stdout
