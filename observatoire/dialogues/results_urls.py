"""URL patterns of a dialogue's results, added to observatoire's own (namespace
``observatoire``)."""

from __future__ import annotations

from django.urls import path

from observatoire.dialogues import results_views

results_urlpatterns = [
    path(
        "dialogues/<int:pk>/resultats/",
        results_views.dialogue_results,
        name="dialogue_results",
    ),
    path(
        "dialogues/<int:pk>/resultats/publier/",
        results_views.dialogue_results_publish,
        name="dialogue_results_publish",
    ),
    path(
        "dialogues/<int:pk>/resultats/initiatives/<int:initiative_pk>/decision/",
        results_views.dialogue_initiative_decide,
        name="dialogue_initiative_decide",
    ),
    path(
        "dialogues/<int:pk>/resultats/rapport.pdf",
        results_views.dialogue_results_pdf,
        name="dialogue_results_pdf",
    ),
    path(
        "dialogues/<int:pk>/resultats/donnees-anonymisees.csv",
        results_views.dialogue_results_csv,
        name="dialogue_results_csv",
    ),
    path(
        "territoires/<str:level>/<str:code>/fragilites-percues/",
        results_views.territory_perceived,
        name="territory_perceived",
    ),
    path(
        "observatoire/fragilites-percues/",
        results_views.perceived_national,
        name="perceived_national",
    ),
]
