"""Supply chain: pip-audit on requirements.lock (make audit, run by CI).

Fails on any known vulnerability. A package the vulnerability service could not look up (service
unreachable, version unknown to the index it answers from) is listed as not audited and does not
fail the build, so an offline CI still runs; the message says the audit is incomplete.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("pip-audit")),
                "--requirement",
                str(ROOT / "requirements.lock"),
                "--no-deps",
                "--disable-pip",
                "--progress-spinner",
                "off",
                "--format",
                "json",
                "--output",
                str(report),
            ],
            capture_output=True,
            text=True,
        )
        if not report.exists() or not report.read_text().strip():
            # No report at all: the service could not be reached (network error), nothing was found.
            print("pip-audit : service de vulnérabilités injoignable, audit NON effectué.")
            print(result.stderr.strip()[-2000:])
            return 0
        data = json.loads(report.read_text())
    vulnerable = [d for d in data["dependencies"] if d.get("vulns")]
    skipped = [d for d in data["dependencies"] if d.get("skip_reason")]
    audited = len(data["dependencies"]) - len(skipped)
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "aucune"
            print(f"VULNÉRABLE {dep['name']} {dep['version']} : {vuln['id']} (corrigé en {fixes})")
    print(f"pip-audit : {audited} paquets audités, {len(vulnerable)} vulnérable(s).")
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        print(f"ATTENTION audit incomplet : {len(skipped)} paquet(s) non vérifiés ({names}).")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
