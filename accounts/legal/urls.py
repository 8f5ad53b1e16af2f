from __future__ import annotations

from django.urls import re_path

from accounts.legal import views
from accounts.legal.models import LegalPage

app_name = "legal"

PAGES = "|".join(LegalPage.values)

urlpatterns = [
    re_path(rf"^(?P<page>{PAGES})/$", views.legal_page, name="page"),
    re_path(rf"^(?P<page>{PAGES})/modifier/$", views.legal_edit, name="edit"),
]
