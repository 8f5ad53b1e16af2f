from __future__ import annotations

from django.urls import path

from territoires import views

app_name = "territoires"

urlpatterns = [
    path("recherche/options/", views.search_options, name="search_options"),
]
