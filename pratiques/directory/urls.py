from __future__ import annotations

from django.urls import path

from pratiques.directory import views

directory_urlpatterns = [
    path("annuaire/", views.directory_search, name="directory_search"),
    path("annuaire/ma-fiche/", views.directory_me, name="directory_me"),
    path("annuaire/ma-fiche/retirer/", views.directory_withdraw, name="directory_withdraw"),
    path("annuaire/ma-fiche/confirmer/", views.directory_reconfirm, name="directory_reconfirm"),
    path("annuaire/ma-fiche/export.csv", views.directory_export, name="directory_export"),
    path("annuaire/messages/", views.directory_inbox, name="directory_inbox"),
    path("annuaire/messages/<int:pk>/repondre/", views.directory_reply, name="directory_reply"),
    path("annuaire/moderation/", views.directory_moderation, name="directory_moderation"),
    path(
        "annuaire/moderation/fiches/<int:pk>/masquer/",
        views.directory_profile_hide,
        name="directory_profile_hide",
    ),
    path(
        "annuaire/moderation/expediteurs/<int:user_id>/",
        views.directory_sender_block,
        name="directory_sender_block",
    ),
    path("annuaire/<int:pk>/", views.directory_profile, name="directory_profile"),
    path("annuaire/<int:pk>/ecrire/", views.directory_contact, name="directory_contact"),
    # The « Qui agit ici » part of a territory page (TERRITORY_PAGE_SECTIONS).
    path(
        "territoires/<slug:level>/<str:code>/qui-agit-ici/",
        views.territory_directory,
        name="territory_directory",
    ),
]
