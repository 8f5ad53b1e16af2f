from __future__ import annotations

import pytest

from territoires.models import Fragility, FragilityReading
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
    fragment = client.get(URL, headers=htmx).content.decode()
    assert "<html" not in fragment and 'id="form-fragilite"' in fragment


@pytest.mark.django_db
def test_indicator_and_diagnosis_sources_with_history(geo, nadia, client) -> None:
    admin = logged_in(nadia)
    fragility = Fragility.objects.order_by("order").first()
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
        ({"level": 2, "source": "indicateur"}, "Indiquez le code de l&#x27;indicateur"),
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
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FragilityReading.objects.exists()


@pytest.mark.django_db
def test_it_checks_the_role(geo, elise) -> None:
    assert logged_in(elise).get(URL).status_code == 403
