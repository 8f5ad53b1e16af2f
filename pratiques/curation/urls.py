"""/pratiques/administration/… — network admins only (see views)."""

from __future__ import annotations

from django.urls import path

from pratiques.curation import views

app_name = "curation"

urlpatterns = [
    path("", views.curation_home, name="home"),
    path("versions/nouvelle/", views.version_new, name="version_new"),
    path("versions/<slug:slug>/", views.version_detail, name="version"),
    path("versions/<slug:slug>/notes/", views.version_notes, name="version_notes"),
    path("versions/<slug:slug>/publier/", views.version_publish, name="version_publish"),
    path("versions/<slug:slug>/supprimer/", views.version_delete, name="version_delete"),
    path("versions/<slug:slug>/filiations/", views.lineage, name="lineage"),
    path(
        "versions/<slug:slug>/filiations/<int:pk>/retirer/",
        views.lineage_remove,
        name="lineage_remove",
    ),
    path("versions/<slug:slug>/<slug:kind>/ajouter/", views.element_add, name="element_add"),
    path(
        "versions/<slug:slug>/<slug:kind>/<int:pk>/modifier/",
        views.element_edit,
        name="element_edit",
    ),
    path(
        "versions/<slug:slug>/<slug:kind>/<int:pk>/retirer/",
        views.element_remove,
        name="element_remove",
    ),
    path(
        "versions/<slug:slug>/<slug:kind>/<int:pk>/deplacer/",
        views.element_move,
        name="element_move",
    ),
    path("comparer/", views.compare, name="compare"),
    path("historique/", views.history, name="history"),
    path("listes/", views.reference_lists, name="reference_lists"),
    path("listes/<slug:kind>/<int:pk>/modifier/", views.reference_edit, name="reference_edit"),
    path("ressources/", views.resource_list, name="resources"),
    path("ressources/nouvelle/", views.resource_edit, name="resource_new"),
    path("ressources/<int:pk>/modifier/", views.resource_edit, name="resource_edit"),
    path("ressources/<int:pk>/supprimer/", views.resource_delete, name="resource_delete"),
    path("ressources/<int:pk>/rattacher/", views.resource_attach, name="resource_attach"),
    path(
        "ressources/rattachements/<int:pk>/retirer/",
        views.resource_detach,
        name="resource_detach",
    ),
    path("analyses/", views.analytics, name="analytics"),
    path("analyses/diffusion/", views.release_create, name="release_create"),
    path("analyses/reponses-anonymisees.csv", views.export_csv, name="export_csv"),
    path("analyses/reponses-anonymisees.xlsx", views.export_xlsx, name="export_xlsx"),
]
