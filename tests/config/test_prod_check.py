"""`make prod-check` starts what docker-compose.yml and the Dockerfile describe: the same
commands and environment variables (the script itself runs in `.ci/run`, not here)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def prod_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("prod_check", ROOT / "deploy" / "prod_check.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_web_command_is_the_dockerfiles() -> None:
    command = prod_check().dockerfile_cmd()
    assert command[:2] == ["gunicorn", "config.wsgi"]
    assert "--bind" in command


def test_the_workers_and_the_setup_are_composes() -> None:
    module = prod_check()
    compose = (ROOT / "docker-compose.yml").read_text()
    for service, line in module.WORKERS.items():
        block = compose.split(f"\n  {service}:\n")[1].split("\n\n")[0]
        words = re.findall(r'"([^"]+)"', block.split("command:")[1].splitlines()[0])
        assert " ".join(words).endswith(line) or words[-1] == line, (service, words)
    assert "setup_platform $$SETUP_FLAGS" in compose and "${SETUP_FLAGS---demo}" in compose
    assert module.SETUP[-2:] == ["setup_platform", "--demo"]
    assert " ".join(module.COLLECTSTATIC[1:]) in (ROOT / "Dockerfile").read_text()


def test_the_environment_is_composes() -> None:
    compose = (ROOT / "docker-compose.yml").read_text()
    app_env = compose.split("environment: &app-env")[1].split("volumes:")[0]
    names = set(re.findall(r"^\s+([A-Z_]+):", app_env, re.M))
    source = (ROOT / "deploy" / "prod_check.py").read_text()
    for name in names:
        assert f'"{name}"' in source, name
