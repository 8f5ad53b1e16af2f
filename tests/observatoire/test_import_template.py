"""Template files of the indicator imports, and the accepted values on the import page."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from observatoire.imports.catalogue import read_catalogue_file
from territoires.models import Fragility
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_the_catalogue_template_imports_as_it_is(nadia: User) -> None:
    response = logged_in(nadia).get("/observatoire/imports/modele-catalogue.csv")
    assert response.status_code == 200 and "modele-catalogue.csv" in response["Content-Disposition"]
    fragilities = dict(Fragility.objects.values_list("label", "pk"))
    catalogue = read_catalogue_file(
        response.content, file_name="modele.csv", fragilities=fragilities
    )
    assert catalogue.problems == [] and set(catalogue.indicators) == {"P21_POP", "TX_CHOM"}


def test_the_values_template_is_in_long_format_in_csv_and_xlsx(nadia: User) -> None:
    client = logged_in(nadia)
    text = client.get("/observatoire/imports/modele-valeurs.csv").content.decode("utf-8-sig")
    assert text.splitlines()[0] == "indicateur;code;annee;valeur"
    response = client.get("/observatoire/imports/modele-valeurs.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("indicateur", "code", "annee", "valeur") and rows[1][1] == "01001"


def test_the_page_lists_the_accepted_values(nadia: User) -> None:
    html = logged_in(nadia).get("/observatoire/imports/").content.decode()
    assert html.count("Valeurs acceptées et modèles de fichier") == 2
    assert "<code>fragilite</code>" in html and "<code>effectif</code>" in html
    assert "nature non précisée" in html and "<code>n.d.</code>" in html
    assert Fragility.objects.first().label in html
    for kind in ("catalogue", "valeurs"):
        for extension in ("csv", "xlsx"):
            assert f'href="/observatoire/imports/modele-{kind}.{extension}"' in html


def test_it_checks_the_role_and_the_names(alice: User, nadia: User) -> None:
    assert logged_in(alice).get("/observatoire/imports/modele-catalogue.csv").status_code == 403
    assert logged_in(nadia).get("/observatoire/imports/modele-autre.csv").status_code == 404
    assert logged_in(nadia).get("/observatoire/imports/modele-valeurs.ods").status_code == 404
