from __future__ import annotations

from django.urls import include, path

from pratiques import views, views_fill, views_grid
from pratiques.campaigns.urls import campaign_urlpatterns
from pratiques.curation.views import lineage as curation_lineage
from pratiques.directory.urls import directory_urlpatterns
from pratiques.examples.urls import example_urlpatterns
from pratiques.plan.urls import plan_urlpatterns

app_name = "pratiques"

urlpatterns = [
    path("", views_fill.home, name="home"),
    path("grille/", views_grid.grid_current, name="grid_current"),
    path("grille/<slug:version>/", views_grid.grid_version, name="grid_version"),
    path("evaluations/nouvelle/", views_fill.assessment_start, name="assessment_start"),
    path("evaluations/<int:pk>/", views_fill.assessment_fill, name="assessment_fill"),
    path(
        "evaluations/<int:pk>/reponses/<int:practice_pk>/",
        views_fill.answer_save,
        name="answer_save",
    ),
    path("evaluations/<int:pk>/valider/", views_fill.assessment_submit, name="assessment_submit"),
    path("evaluations/<int:pk>/resultats/", views.assessment_results, name="assessment_results"),
    path(
        "evaluations/<int:pk>/resultats/<str:name>-<str:variant>.svg",
        views.assessment_results_chart,
        name="assessment_results_chart",
    ),
    path(
        "evaluations/<int:pk>/partage/", views.assessment_preferences, name="assessment_preferences"
    ),
    path("evaluations/<int:pk>/export.csv", views.assessment_export_csv, name="assessment_csv"),
    path("evaluations/<int:pk>/export.pdf", views.assessment_export_pdf, name="assessment_pdf"),
    path("evaluations/<int:pk>/export.xlsx", views.assessment_export_xlsx, name="assessment_xlsx"),
    path(
        "evaluations/<int:pk>/resultats.csv",
        views.assessment_results_csv,
        name="assessment_results_csv",
    ),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/export.csv", views.my_data_export, name="my_data_export"),
    path("mes-donnees/supprimer/", views.my_data_delete, name="my_data_delete"),
    path("organisations/rejoindre/", views_fill.organisation_join, name="organisation_join"),
    path("organisations/<int:pk>/", views.organisation_dialogue, name="organisation_dialogue"),
    path("organisations/<int:pk>/quitter/", views.organisation_leave, name="organisation_leave"),
    path("evaluations/<int:pk>/supprimer/", views.assessment_delete, name="assessment_delete"),
    # The « pratiques » part of a territory page, pulled by it with hx-get (TERRITORY_PAGE_SECTIONS).
    path(
        "territoires/<slug:level>/<str:code>/",
        views_grid.territory_practices,
        name="territory_practices",
    ),
    path(
        "territoires/<slug:level>/<str:code>/pratiques.csv",
        views_grid.territory_practices_csv,
        name="territory_practices_csv",
    ),
    # Curation by network admins, and the catalyst's offer to move a draft forward.
    path("administration/", include("pratiques.curation.urls")),
    path(
        "evaluations/<int:pk>/version-courante/",
        curation_lineage.assessment_move_forward,
        name="assessment_move_forward",
    ),
    # The development plan.
    *plan_urlpatterns,
    # Network study campaigns.
    *campaign_urlpatterns,
    # The directory of catalysts and the base of inspiring examples.
    *directory_urlpatterns,
    *example_urlpatterns,
]
