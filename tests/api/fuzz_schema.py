"""schemathesis against the live schema of /api/v1/: every operation, every check.

Not collected by ``make test`` (its name does not start with ``test_``): ``tests/api_fuzz.sh``
runs it, from ``.ci/run`` after the suite. A bounded number of examples keeps it under 2 min.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "20"))


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_failure(
    live_server: Any, geo: Any, settings: Any, tmp_path: Path
) -> None:
    settings.API_ANON_RATE_PER_MINUTE = 1_000_000  # the fuzzer is one anonymous caller
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        "20261206",
        "--request-timeout",
        "20",
        "--report-dir",
        str(tmp_path),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    print(run.stdout[-20_000:])
    assert run.returncode == 0, run.stdout[-8_000:] + run.stderr[-2_000:]
