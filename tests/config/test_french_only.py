"""The interface is French only: no translation of our strings, Django's own messages in French."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def test_no_locale_middleware_and_french_for_django() -> None:
    assert "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE
    assert settings.LANGUAGE_CODE == "fr" and settings.USE_I18N


@pytest.mark.django_db
def test_a_page_stays_french_for_an_english_browser() -> None:
    response = Client().get("/comptes/inscription/", **ENGLISH)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Créer un compte catalyseur·rice" in html and "Adresse électronique" in html
    assert "Content-Language" not in response.headers


@pytest.mark.django_db
def test_form_errors_stay_french_for_an_english_browser() -> None:
    data = {
        "first_name": "Inès",
        "last_name": "",
        "email": "pas-une-adresse",
        "password1": "abc",
        "password2": "abc",
        "consent": "on",
    }
    response = Client().post("/comptes/inscription/", data, **ENGLISH)
    html = response.content.decode()
    assert response.status_code == 400  # the form is shown again with its messages
    assert "Ce champ est obligatoire." in html
    assert "Saisissez une adresse de courriel valide." in html
    assert "This field is required" not in html


@pytest.mark.django_db
def test_password_validators_stay_french_for_an_english_browser() -> None:
    from django.contrib.auth.models import User

    from config.links import Purpose, make_link_token

    data = {"first_name": "Inès", "last_name": "N", "email": "ines@exemple.fr", "consent": "on"}
    Client().post("/comptes/inscription/", data, **ENGLISH)
    token = make_link_token(User.objects.get(email="ines@exemple.fr"), Purpose.SIGNUP)
    response = Client().post(
        f"/comptes/inscription/confirmer/{token}/",
        {"password1": "abc", "password2": "abc"},
        **ENGLISH,
    )
    assert response.status_code == 400
    assert "Ce mot de passe est trop court." in response.content.decode()
