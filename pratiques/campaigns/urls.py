"""URL patterns of campaigns, included under /pratiques/ (namespace ``pratiques``)."""

from __future__ import annotations

from django.urls import path

from pratiques.campaigns import views

campaign_urlpatterns = [
    path("campagnes/", views.campaign_list, name="campaign_list"),
    path("campagnes/nouvelle/", views.campaign_create, name="campaign_create"),
    path(
        "campagnes/modele-population.<str:extension>",
        views.population_template,
        name="population_template",
    ),
    path("campagnes/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campagnes/<int:pk>/modifier/", views.campaign_edit, name="campaign_edit"),
    path("campagnes/<int:pk>/supprimer/", views.campaign_delete, name="campaign_delete"),
    path("campagnes/<int:pk>/population/", views.campaign_import, name="campaign_import"),
    path("campagnes/<int:pk>/envoyer/", views.campaign_send, name="campaign_send"),
    path("campagnes/<int:pk>/cloturer/", views.campaign_close, name="campaign_close"),
    path("campagnes/<int:pk>/rapport/", views.campaign_report, name="campaign_report"),
    path("campagnes/<int:pk>/export-anonyme.csv", views.campaign_export, name="campaign_export"),
    path("campagnes/mes-campagnes/", views.my_campaigns, name="my_campaigns"),
    path("campagnes/rejoindre/<int:invitee>/", views.campaign_open, name="campaign_open"),
    path(
        "campagnes/rejoindre/<int:invitee>/<str:token>/", views.campaign_join, name="campaign_join"
    ),
    path("campagnes/relances/<int:invitee>/", views.campaign_stop_mine, name="campaign_stop_mine"),
    path(
        "campagnes/relances/<int:invitee>/<str:token>/", views.campaign_stop, name="campaign_stop"
    ),
    path("campagnes/participer/<str:code>/", views.campaign_register, name="campaign_register"),
]
