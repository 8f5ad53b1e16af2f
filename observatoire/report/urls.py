"""URL patterns of the report, added to observatoire's own (namespace ``observatoire``)."""

from __future__ import annotations

from django.urls import path

from observatoire.report import campaign, views

report_urlpatterns = [
    path(
        "territoires/<slug:level>/<str:code>/rapport.pdf",
        views.territory_report,
        name="territory_report",
    ),
    path("observatoire/rapports/", views.report_batches, name="report_batches"),
    path(
        "observatoire/rapports/<slug:batch_id>/",
        views.report_batch_progress,
        name="report_batch_progress",
    ),
    path(
        "pratiques/campagnes/<int:pk>/rapport.pdf",
        campaign.campaign_report_pdf,
        name="campaign_report_pdf",
    ),
]
