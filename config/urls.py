from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from accounts import dashboards, tasks_page
from accounts.views import (
    LoginView,
    PasswordChangeView,
    PasswordResetConfirmView,
    ThrottledPasswordResetView,
)
from config import views

admin.site.site_header = "Administration technique — Ingénierie territoriale"
admin.site.site_title = "Ingénierie territoriale"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("espace/administration/taches/", tasks_page.task_list, name="task_list"),
    path("espace/elu/vu/", dashboards.followed_seen, name="followed_seen"),
    path("espace/<slug:space>/", dashboards.dashboard, name="dashboard"),
    # Throttled password reset first, so it wins over django.contrib.auth's own view.
    path(
        "comptes/password_reset/",
        ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    # Django's auth views whose invalid form answers 400 (same names, same addresses).
    path("comptes/login/", LoginView.as_view(), name="login"),
    path("comptes/password_change/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "comptes/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("comptes/", include("accounts.urls")),
    path("comptes/", include("django.contrib.auth.urls")),
    path("territoires/", include("territoires.urls")),
    path("pratiques/", include("pratiques.urls")),
    # Observatoire pages nest under /territoires/… and /observatoire/… (see observatoire/urls.py).
    path("", include("observatoire.urls")),
    path("api/v1/", include("observatoire.api.urls")),
    path("admin/", admin.site.urls),
    # Mentions légales, données personnelles, accessibilité, contact (linked from every footer).
    path("", include("accounts.legal.urls")),
]
