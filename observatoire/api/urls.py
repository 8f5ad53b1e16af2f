"""``/api/v1/``: the API's views, each wrapped by ``observatoire.api.http.open_data``."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from observatoire.api.http import open_data
from observatoire.api.views import api


def _wrapped(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = open_data(pattern.callback)
        else:
            _wrapped(pattern.url_patterns)
    return patterns


app_name = "api"  # the namespace ninja reverses (``api.urls_namespace``)
urlpatterns = _wrapped(list(api.urls[0]))
