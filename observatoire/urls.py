from __future__ import annotations

from django.urls import path  # noqa: F401

from observatoire.report.urls import report_urlpatterns

app_name = "observatoire"

urlpatterns: list = []

# The territory report (PDF) and its batches: observatoire/report/urls.py.
urlpatterns += report_urlpatterns
