from __future__ import annotations

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("mon-espace/", views.landing, name="landing"),
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoyee/", views.signup_sent, name="signup_sent"),
    path("inscription/renvoyer/", views.signup_resend, name="signup_resend"),
    path("inscription/confirmer/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("supprimer-mon-compte/", views.account_delete, name="account_delete"),
    path("personnes/", views.people, name="people"),
    path("personnes/inviter/", views.people_invite, name="people_invite"),
    path("personnes/historique/", views.people_history, name="people_history"),
    path("personnes/verrous/lever/", views.lockout_lift, name="lockout_lift"),
    path("personnes/mandats/<int:pk>/", views.mandate_decide, name="mandate_decide"),
    path("personnes/<int:pk>/", views.person, name="person"),
    path("personnes/<int:pk>/roles/", views.person_roles, name="person_roles"),
    path("personnes/<int:pk>/activation/", views.person_active, name="person_active"),
    path("personnes/<int:pk>/invitation/", views.person_resend, name="person_resend"),
    path("personnes/<int:pk>/approbation/", views.person_approval, name="person_approval"),
]
