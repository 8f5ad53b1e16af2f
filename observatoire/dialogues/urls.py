"""URL patterns of the territorial dialogues, included in observatoire's (namespace
``observatoire``)."""

from __future__ import annotations

from django.urls import path

from observatoire.dialogues import views, views_respond

dialogue_urlpatterns = [
    path("dialogues/", views.dialogue_list, name="dialogue_list"),
    path("dialogues/nouveau/", views.dialogue_create, name="dialogue_create"),
    path(
        "dialogues/modele-acteurs.<str:extension>",
        views.respondents_template,
        name="dialogue_respondents_template",
    ),
    path("dialogues/<int:pk>/", views.dialogue_detail, name="dialogue_detail"),
    path("dialogues/<int:pk>/acteurs/", views.dialogue_import, name="dialogue_import"),
    path("dialogues/<int:pk>/ouvrir/", views.dialogue_open, name="dialogue_open"),
    path("dialogues/<int:pk>/envoyer/", views.dialogue_send, name="dialogue_send"),
    path("dialogues/<int:pk>/lien-ouvert/", views.dialogue_open_link, name="dialogue_open_link"),
    path("dialogues/<int:pk>/code-qr.svg", views.dialogue_qr, name="dialogue_qr"),
    path("dialogues/<int:pk>/clore/", views.dialogue_close, name="dialogue_close"),
    # Respondents, without an account.
    path("d/<str:code>/", views_respond.dialogue_entry, name="dialogue_entry"),
    path(
        "dialogues/<int:dialogue>/lien/<str:token>/",
        views_respond.dialogue_link,
        name="dialogue_link",
    ),
    path(
        "dialogues/<int:dialogue>/relances/<str:token>/",
        views_respond.dialogue_stop,
        name="dialogue_stop",
    ),
    path("dialogues/reponse/<str:key>/", views_respond.response_fill, name="response_fill"),
    path(
        "dialogues/reponse/<str:key>/vous/",
        views_respond.response_identity,
        name="response_identity",
    ),
    path(
        "dialogues/reponse/<str:key>/fragilite/<int:fragility>/",
        views_respond.response_perception,
        name="response_perception",
    ),
    path(
        "dialogues/reponse/<str:key>/initiative/",
        views_respond.response_initiative,
        name="response_initiative",
    ),
    path(
        "dialogues/reponse/<str:key>/partenaires/",
        views_respond.response_acts_with,
        name="response_acts_with",
    ),
    path(
        "dialogues/reponse/<str:key>/envoyer/",
        views_respond.response_submit,
        name="response_submit",
    ),
]
