"""The population template files: what they hold imports as it is."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from pratiques.campaigns.population import parse_population
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

URL = "/pratiques/campagnes/modele-population.{}"


def test_the_csv_template_reads_back(nadia: User, geo) -> None:
    response = logged_in(nadia).get(URL.format("csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "modele-population.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "email;prenom;nom;organisation;profil;territoire;ingenieries"
    # Its first example line (by codes, on a commune) is a valid population row.
    first_two = "\n".join(text.splitlines()[:2]).encode()
    (person,) = parse_population(first_two, file_name="modele.csv")
    assert person.profile.code == "institutions" and person.engineerings


def test_the_xlsx_template_has_the_accepted_values(nadia: User, geo) -> None:
    response = logged_in(nadia).get(URL.format("xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["population", "valeurs acceptées"]
    rows = list(workbook["valeurs acceptées"].iter_rows(values_only=True))
    assert ("profil", "collectivites-territoriales", "Collectivités territoriales") in rows
    assert ("territoire (niveau:code)", "epci", "EPCI") in rows or any(
        row[1] == "epci" for row in rows
    )


def test_it_checks_the_role_and_the_format(alice: User, nadia: User, geo) -> None:
    assert logged_in(alice).get(URL.format("csv")).status_code == 403
    assert logged_in(nadia).get(URL.format("xls")).status_code == 404
