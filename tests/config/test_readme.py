"""The README fits on a screen or two, and every command it shows is run somewhere.

A command in the README's code blocks is either run by CI (`.ci/run`), or by a test (a management
command through `call_command`), or listed below as run by hand, with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
README = ROOT / "README.md"
MAX_LINES = 150

# Commands a person runs and no machine can: each with why.
MANUAL: dict[str, str] = {
    "make format": "rewrites the files it formats; `make lint` (in CI) checks the same rules",
    "make worker": "runs until stopped; `make run` (in CI) starts the same worker",
}


def readme_commands() -> list[str]:
    """Each command line of the README's shell blocks, without its trailing comment."""
    commands, in_block = [], False
    for line in README.read_text().splitlines():
        if line.startswith("```"):
            in_block = line.strip() in ("```sh", "```bash", "```shell") and not in_block
            continue
        if in_block and line.strip() and not line.lstrip().startswith("#"):
            commands.append(re.sub(r"\s+#.*$", "", line).strip())
    return commands


def run_somewhere(command: str, ci: str, tests: str) -> bool:
    if command in MANUAL:
        return True
    if match := re.fullmatch(r"make ([\w-]+).*", command):
        return (
            re.search(rf"^\s*(setsid\s+)?(\S+=\S+\s+)*make {match[1]}\b", ci, re.MULTILINE)
            is not None
        )
    if match := re.fullmatch(r"(?:\.venv/bin/)?python3?(?:\.12)? manage\.py (\w+).*", command):
        return f'call_command("{match[1]}"' in tests or f"manage.py {match[1]}" in ci
    return False


def test_the_readme_fits_on_a_screen_or_two() -> None:
    assert len(README.read_text().splitlines()) <= MAX_LINES


def test_every_readme_command_is_run_by_ci_or_a_test() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    tests = "\n".join(path.read_text() for path in (ROOT / "tests").rglob("*.py"))
    commands = readme_commands()
    assert "make run" in commands and "make test" in commands
    assert [c for c in commands if not run_somewhere(c, ci, tests)] == []


def test_every_doc_the_readme_names_exists() -> None:
    named = set(re.findall(r"`(docs/[\w-]+\.md)`", README.read_text()))
    assert named and all((ROOT / doc).is_file() for doc in named)
