"""The project's declared dependencies are the ones its code imports, pinned as in the lock.

`requirements.lock` is what `make install` installs; `pyproject.toml` says which of those the
project asks for itself. A library imported by the code but missing from `pyproject.toml` works
only by chance (another package pulled it in), and goes the day that package drops it.
"""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "config",
    "territoires",
    "pratiques",
    "observatoire",
    "accounts",
    "tests",
    "bench",
    "deploy",
)
FIRST_PARTY = set(PACKAGES) | {"manage"}


def _name(requirement: str) -> str:
    return re.split(r"[\[=<>~! ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _declared() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + [
        r for group in project["optional-dependencies"].values() for r in group
    ]
    return {_name(r): r.split("==", 1)[1] for r in requirements}


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[_name(name)] = version.split(";")[0].strip()
    return pins


def _imported() -> set[str]:
    modules = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    modules |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    modules.add(node.module.split(".")[0])
    return modules - FIRST_PARTY - set(sys.stdlib_module_names)


def test_every_declared_dependency_is_pinned_in_the_lock_at_the_same_version():
    locked = _locked()
    assert {
        name: version for name, version in _declared().items() if locked.get(name) != version
    } == {}


def test_every_third_party_import_is_a_declared_dependency():
    declared = set(_declared())
    distributions = packages_distributions()
    undeclared = {}
    for module in sorted(_imported()):
        names = {_name(d) for d in distributions.get(module, [])}
        if names and not names & declared:
            undeclared[module] = sorted(names)
    assert undeclared == {}
