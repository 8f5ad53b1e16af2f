from __future__ import annotations

from django.urls import path

from territoires import views

app_name = "territoires"

urlpatterns = [
    path("recherche/", views.search, name="search"),
    path("recherche/options/", views.search_options, name="search_options"),
    path("projet/nouveau/", views.project_new, name="project_new"),
    path("projet/<str:code>/modifier/", views.project_edit, name="project_edit"),
    path("projet/<str:code>/archiver/", views.project_archive_view, name="project_archive"),
    path("projet/<str:code>/supprimer/", views.project_delete_view, name="project_delete"),
    path(
        "projet/<str:code>/membres/ajouter/",
        views.project_member_add_view,
        name="project_member_add",
    ),
    path(
        "projet/<str:code>/membres/<int:member_id>/retirer/",
        views.project_member_remove_view,
        name="project_member_remove",
    ),
    path("mandats/declarer/", views.mandate_declare_view, name="mandate_declare"),
    path("mandats/<int:pk>/retirer/", views.mandate_withdraw_view, name="mandate_withdraw"),
    path("suivis/<int:pk>/courriel/", views.follow_notify, name="follow_notify"),
    path("<str:level>/<str:code>/", views.territory_detail, name="detail"),
    path("<str:level>/<str:code>/suivre/", views.follow, name="follow"),
    path("<str:level>/<str:code>/maturite/", views.maturity_create, name="maturity_create"),
    path("<str:level>/<str:code>/fragilites/", views.fragility_create, name="fragility_create"),
]
