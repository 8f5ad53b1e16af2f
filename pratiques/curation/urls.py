"""/pratiques/administration/… — network admins only (see views)."""

from __future__ import annotations

from django.urls import path

from pratiques.curation.views import (
    analytics,
    elements,
    lineage,
    reference_lists,
    resources,
    versions,
)

app_name = "curation"

urlpatterns = [
    path("", versions.curation_home, name="home"),
    path("versions/nouvelle/", versions.version_new, name="version_new"),
    path("versions/<slug:slug>/", elements.version_detail, name="version"),
    path("versions/<slug:slug>/notes/", elements.version_notes, name="version_notes"),
    path("versions/<slug:slug>/publier/", versions.version_publish, name="version_publish"),
    path("versions/<slug:slug>/supprimer/", versions.version_delete, name="version_delete"),
    path("versions/<slug:slug>/filiations/", lineage.lineage, name="lineage"),
    path(
        "versions/<slug:slug>/filiations/<int:pk>/retirer/",
        lineage.lineage_remove,
        name="lineage_remove",
    ),
    path("versions/<slug:slug>/<slug:kind>/ajouter/", elements.element_add, name="element_add"),
    path(
        "versions/<slug:slug>/<slug:kind>/<int:pk>/modifier/",
        elements.element_edit,
        name="element_edit",
    ),
    path(
        "versions/<slug:slug>/<slug:kind>/<int:pk>/retirer/",
        elements.element_remove,
        name="element_remove",
    ),
    path(
        "versions/<slug:slug>/<slug:kind>/<int:pk>/deplacer/",
        elements.element_move,
        name="element_move",
    ),
    path("comparer/", versions.compare, name="compare"),
    path("historique/", versions.history, name="history"),
    path("listes/", reference_lists.reference_lists, name="reference_lists"),
    path(
        "listes/<slug:kind>/<int:pk>/modifier/",
        reference_lists.reference_edit,
        name="reference_edit",
    ),
    path("ressources/", resources.resource_list, name="resources"),
    path("ressources/nouvelle/", resources.resource_edit, name="resource_new"),
    path("ressources/<int:pk>/modifier/", resources.resource_edit, name="resource_edit"),
    path("ressources/<int:pk>/supprimer/", resources.resource_delete, name="resource_delete"),
    path("ressources/<int:pk>/rattacher/", resources.resource_attach, name="resource_attach"),
    path(
        "ressources/rattachements/<int:pk>/retirer/",
        resources.resource_detach,
        name="resource_detach",
    ),
    path("analyses/", analytics.analytics, name="analytics"),
    path("analyses/diffusion/", analytics.release_create, name="release_create"),
    path("analyses/reponses-anonymisees.csv", analytics.export_csv, name="export_csv"),
    path("analyses/reponses-anonymisees.xlsx", analytics.export_xlsx, name="export_xlsx"),
]
