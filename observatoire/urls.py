from __future__ import annotations

from django.urls import path

from observatoire import compare, import_formats, views, views_donnees, views_map
from observatoire.dialogues.results_urls import results_urlpatterns
from observatoire.dialogues.urls import dialogue_urlpatterns
from observatoire.report.urls import report_urlpatterns

app_name = "observatoire"

urlpatterns = [
    path("territoires/comparer/", compare.territory_compare, name="territory_compare"),
    path("territoires/comparer.pdf", compare.territory_compare_pdf, name="territory_compare_pdf"),
    path(
        "territoires/<str:level>/<str:code>/indicateurs/",
        views.territory_indicators,
        name="territory_indicators",
    ),
    path(
        "territoires/<str:level>/<str:code>/indicateurs/graphique-<int:index>-<str:variant>.svg",
        views.territory_indicator_chart,
        name="territory_indicator_chart",
    ),
    path(
        "territoires/<str:level>/<str:code>/indicateurs.csv",
        views.territory_indicators_csv,
        name="territory_indicators_csv",
    ),
    path("observatoire/indicateurs/", views.catalogue, name="catalogue"),
    path("observatoire/carte/", views_map.france_map, name="france_map"),
    path("donnees/", views_donnees.open_data_page, name="open_data"),
    path("donnees/<str:name>", views_donnees.open_data_file, name="open_data_file"),
    path("observatoire/imports/", views.import_upload, name="import_upload"),
    path(
        "observatoire/imports/modele-<str:kind>.<str:extension>",
        import_formats.import_template,
        name="import_template",
    ),
    path("observatoire/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("observatoire/imports/<int:pk>/confirmer/", views.import_confirm, name="import_confirm"),
]

# The territory report (PDF) and its batches: observatoire/report/urls.py.
urlpatterns += report_urlpatterns

# The territorial dialogues: observatoire/dialogues/urls.py; their results: results_urls.py.
urlpatterns += dialogue_urlpatterns
urlpatterns += results_urlpatterns
