from __future__ import annotations

from django.urls import path

from pratiques.examples import views

example_urlpatterns = [
    path("exemples/", views.example_list, name="example_list"),
    path("exemples/export.csv", views.example_export, name="example_export"),
    path("exemples/nouveau/", views.example_new, name="example_new"),
    path("exemples/relecture/", views.example_review, name="example_review"),
    path("exemples/import/", views.example_import, name="example_import"),
    path("exemples/<int:pk>/", views.example_detail, name="example_detail"),
    path("exemples/<int:pk>/modifier/", views.example_edit, name="example_edit"),
    path("exemples/<int:pk>/statut/", views.example_status, name="example_status"),
    # The examples part of a territory page (TERRITORY_PAGE_SECTIONS).
    path(
        "territoires/<slug:level>/<str:code>/exemples/",
        views.territory_examples,
        name="territory_examples",
    ),
]
