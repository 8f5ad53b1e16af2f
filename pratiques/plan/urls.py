"""URLs of the development plan (included by pratiques/urls.py, names in the ``pratiques`` space)."""

from __future__ import annotations

from django.urls import path

from pratiques.plan import exports, review, views

plan_urlpatterns = [
    path("plan/", views.plan_home, name="plan_home"),
    path("plan/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plan/<int:pk>/ajouter/", views.plan_item_new, name="plan_item_new"),
    path("plan/<int:pk>/reglages/", views.plan_settings, name="plan_settings"),
    path("plan/<int:pk>/bilan/", review.plan_review, name="plan_review"),
    path("plan/<int:pk>/plan.pdf", exports.plan_pdf, name="plan_pdf"),
    path("plan/<int:pk>/plan.csv", exports.plan_csv, name="plan_csv"),
    path("plan/<int:pk>/plan.ics", exports.plan_ics, name="plan_ics"),
    path("plan/elements/<int:pk>/", views.plan_item_save, name="plan_item_save"),
    path("plan/elements/<int:pk>/retirer/", views.plan_item_delete, name="plan_item_delete"),
    path("mes-donnees/plans.csv", exports.my_data_plan_export, name="my_data_plan_export"),
    path("plan/rappels/<str:token>/", views.plan_reminders_stop, name="plan_reminders_stop"),
]
