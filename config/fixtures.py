"""Reference data shipped in fixtures/: every `fixtures/<app>_*.json` file, in name order."""

from __future__ import annotations

from django.conf import settings


def reference_fixtures(app: str | None = None) -> list[str]:
    pattern = f"{app}_*.json" if app else "*.json"
    return [str(path) for path in sorted((settings.BASE_DIR / "fixtures").glob(pattern))]
