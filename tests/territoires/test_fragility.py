from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from observatoire.models import Indicator
from territoires.models import Fragility, FragilityReading, FragilitySource
from territoires.services import fragility_record
from tests.conftest import logged_in

URL = "/territoires/commune/94080/fragilites/"


@pytest.mark.django_db
def test_form_page_and_fragment(geo, nadia, htmx) -> None:
    client = logged_in(nadia)
    fragility = (
        Fragility.objects.get(code="sante")
        if Fragility.objects.filter(code="sante").exists()
        else Fragility.objects.first()
    )
    html = client.get(URL, {"domaine": fragility.pk}).content.decode()
    assert "<html" in html and "0 — non observée" in html
    assert f'<option value="{fragility.pk}" selected>' in html
    # Its form is posted as a whole (no swap): an HTMX request gets the whole page.
    page = client.get(URL, headers=htmx).content.decode()
    assert "<html" in page and 'id="form-fragilite"' in page


@pytest.mark.django_db
def test_indicator_and_diagnosis_sources_with_history(geo, nadia, client) -> None:
    admin = logged_in(nadia)
    fragility = Fragility.objects.order_by("order").first()
    Indicator.objects.create(code="insee-chomage", label="Taux de chômage", fragility=fragility)
    assert 'value="insee-chomage"' in admin.get(URL).content.decode()  # a choice, not free text
    first = admin.post(
        URL,
        {
            "fragility": fragility.pk,
            "level": 1,
            "source": "indicateur",
            "indicator_code": "insee-chomage",
        },
    )
    assert first.status_code == 302
    second = admin.post(
        URL,
        {
            "fragility": fragility.pk,
            "level": 3,
            "source": "diagnostic",
            "diagnosis_author": "Conseil de développement",
            "diagnosis_date": "2025-06-30",
        },
    )
    assert second.status_code == 302
    assert FragilityReading.objects.filter(territory=geo.vincennes).count() == 2
    html = client.get("/territoires/commune/94080/").content.decode()
    assert "3 — forte" in html and "Diagnostic local — Conseil de développement, 30/06/2025" in html
    assert "insee-chomage" not in html  # the latest reading of the domain is shown
    assert html.count("non renseigné</span>") == 15
    history = admin.get(URL).content.decode()
    assert "insee-chomage" in history and "Conseil de développement" in history  # both kept


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level": 2, "source": "indicateur"}, "Choisissez un indicateur du catalogue"),
        ({"level": 2, "source": "diagnostic"}, "Indiquez l&#x27;auteur du diagnostic local"),
        (
            {"level": 2, "source": "diagnostic", "diagnosis_author": "X"},
            "Indiquez la date du diagnostic",
        ),
        (
            {"level": 7, "source": "indicateur", "indicator_code": "a"},
            "Sélectionnez un choix valide",
        ),
    ],
)
def test_invalid_input_is_explained(geo, nadia, data, message) -> None:
    fragility = Fragility.objects.first()
    response = logged_in(nadia).post(URL, {"fragility": fragility.pk, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FragilityReading.objects.exists()


@pytest.mark.django_db
def test_it_checks_the_role(geo, elise) -> None:
    assert logged_in(elise).get(URL).status_code == 403


@pytest.mark.django_db
def test_an_indicator_outside_the_catalogue_is_refused(geo, nadia, client) -> None:
    fragility = Fragility.objects.first()
    data = {"level": 2, "source": "indicateur", "indicator_code": "CODE-INEXISTANT-XYZ"}
    response = logged_in(nadia).post(URL, {"fragility": fragility.pk, **data})
    assert response.status_code == 400
    assert (
        "« CODE-INEXISTANT-XYZ » n&#x27;est pas un indicateur du catalogue"
        in response.content.decode()
    )
    assert not FragilityReading.objects.exists()
    assert "CODE-INEXISTANT-XYZ" not in client.get("/territoires/commune/94080/").content.decode()


@pytest.mark.django_db
def test_free_text_sources_of_before_are_corrected_or_flagged(geo) -> None:
    fragility = Fragility.objects.first()
    Indicator.objects.create(code="TX_CHOM", label="Taux de chômage", fragility=fragility)
    readings = []
    for code in ["tx_chom", "CODE-INEXISTANT-XYZ"]:
        readings.append(
            FragilityReading.objects.create(
                territory=geo.vincennes,
                fragility=fragility,
                level=2,
                source=FragilitySource.INDICATOR,
                indicator_code=code,
            )
        )
    migration = importlib.import_module(
        "observatoire.migrations.0004_fragility_sources_from_catalogue"
    )
    migration.check_sources(apps, None)
    case, unknown = (FragilityReading.objects.get(pk=r.pk) for r in readings)
    assert (case.indicator_code, case.indicator_unknown) == ("TX_CHOM", False)
    assert unknown.indicator_unknown
    assert "absent du catalogue, à vérifier" in logged_in_page(geo)
    with pytest.raises(Exception, match="n'est pas un indicateur du catalogue") as refused:
        fragility_record(
            territory=geo.vincennes,
            fragility=fragility,
            level=1,
            source=FragilitySource.INDICATOR,
            indicator_code="CODE-INEXISTANT-XYZ",
            user=None,
        )
    assert refused.value.code == "unknown_indicator"  # type: ignore[attr-defined]


def logged_in_page(geo) -> str:
    from django.test import Client

    return Client().get("/territoires/commune/94080/").content.decode()
