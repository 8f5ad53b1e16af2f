"""Settings: production names its database; the embedded server is for development only."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings


def test_production_without_database_url_is_refused_before_any_server_starts() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DJANGO_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "exemple.fr"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DATABASE_URL doit être défini quand DJANGO_ENV=production" in result.stderr
