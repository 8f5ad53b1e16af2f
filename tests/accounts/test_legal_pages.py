"""Mentions légales, données personnelles, déclaration d'accessibilité, contact: public, linked
from every page's footer; the operator's text edited by network admins, every version kept."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import LegalText
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

PAGES = {
    "mentions-legales": "Mentions légales",
    "donnees-personnelles": "Données personnelles",
    "accessibilite": "Déclaration d’accessibilité",
    "contact": "Contact",
}


@pytest.mark.parametrize("slug", PAGES)
def test_it_works_without_an_account(slug: str, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(2):
        response = Client().get(f"/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{PAGES[slug]}</h1>" in html
    assert "à compléter par l’administration du réseau" in html
    assert "Modifier le texte" not in html


@pytest.mark.parametrize("path", ["/", "/comptes/login/", "/pas-de-page/", "/contact/"])
def test_every_page_links_the_four_pages_from_its_footer(path: str) -> None:
    html = Client().get(path).content.decode()
    footer = html.split('<footer class="site-footer"')[1]
    for slug in PAGES:
        assert f'href="/{slug}/"' in footer
    assert "Accessibilité : non conforme" in footer


def test_the_personal_data_page_says_what_is_held_and_how_to_use_the_rights(alice: User) -> None:
    html = logged_in(alice).get("/donnees-personnelles/").content.decode()
    for held in ("adresse électronique", "Auto-évaluations", "adresse IP", "Campagnes"):
        assert held in html
    assert 'href="/comptes/supprimer-mon-compte/"' in html
    assert "cnil.fr" in html and "14 jours" in html


def test_it_checks_the_role(charlie: User) -> None:
    assert logged_in(charlie).get("/contact/modifier/").status_code == 403
    assert logged_in(charlie).post("/contact/modifier/", {"body": "x"}).status_code == 403
    assert Client().get("/contact/modifier/").status_code == 302
    assert not LegalText.objects.exists()


def test_an_admin_edits_the_operator_text_and_keeps_its_history(nadia: User) -> None:
    client = logged_in(nadia)
    page = client.get("/contact/").content.decode()
    assert 'href="/contact/modifier/"' in page
    form = client.get("/contact/modifier/").content.decode()
    assert "Aucune version enregistrée" in form and "à compléter" in form

    response = client.post("/contact/modifier/", {"body": "Écrire à contact@reseau.example\n"})
    assert response.status_code == 302 and response["Location"] == "/contact/"
    assert "contact@reseau.example" in client.get("/contact/").content.decode()

    client.post("/contact/modifier/", {"body": "Écrire à contact@reseau.example"})  # unchanged
    client.post("/contact/modifier/", {"body": "Écrire à equipe@reseau.example"})
    versions = list(LegalText.objects.filter(page="contact").order_by("created_at"))
    assert [v.body for v in versions] == [
        "Écrire à contact@reseau.example",
        "Écrire à equipe@reseau.example",
    ]
    assert all(v.author == nadia for v in versions)
    html = client.get("/contact/").content.decode()
    assert "equipe@reseau.example" in html and "contact@reseau.example" not in html
    history = client.get("/contact/modifier/").content.decode()
    assert history.count("<details>") == 2 and "(version en ligne)" in history


def test_a_bad_text_is_refused_with_a_message(nadia: User) -> None:
    client = logged_in(nadia)
    response = client.post("/mentions-legales/modifier/", {"body": "   "})
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()
    response = client.post("/mentions-legales/modifier/", {"body": "x" * 20_001})
    assert response.status_code == 400
    assert not LegalText.objects.exists()


def test_the_text_is_escaped(nadia: User) -> None:
    logged_in(nadia).post("/contact/modifier/", {"body": "<script>alert(1)</script>"})
    html = Client().get("/contact/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_the_accessibility_statement_shows_the_measured_figures(
    settings: Any, tmp_path: Any
) -> None:
    settings.ACCESSIBILITY_MEASURES_DIR = tmp_path
    assert "Aucune mesure automatique" in Client().get("/accessibilite/").content.decode()
    for name, pages in (("elu", 4), ("catalyseur", 5)):
        (tmp_path / f"{name}.json").write_text(
            json.dumps(
                {
                    "journey": name,
                    "pages": [f"p{i}" for i in range(pages)],
                    "widths": [390, 1280],
                    "violations": 0,
                    "axe": "4.11.0",
                    "rules": ["wcag2a", "wcag2aa"],
                    "measured_on": "2026-12-06",
                }
            )
        )
    html = Client().get("/accessibilite/").content.decode()
    assert "non conforme" in html
    assert "axe-core 4.11.0" in html
    assert "6 décembre 2026" in html
    assert "18 vérifications de pages, 0 anomalie" in html


def test_an_unknown_page_is_a_404() -> None:
    assert Client().get("/cgu/").status_code == 404
