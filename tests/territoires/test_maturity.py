from __future__ import annotations

import pytest

from territoires.models import MaturityAssessment, maturity_rank
from tests.conftest import logged_in

URL = "/territoires/commune/94080/maturite/"


@pytest.mark.parametrize(
    ("scores", "rank"),
    [
        ((1, 1, 1), 1),
        ((1, 1, 2), 1),
        ((1, 2, 2), 2),
        ((2, 2, 3), 2),
        ((2, 3, 3), 3),
        ((3, 3, 4), 3),
        ((3, 4, 4), 4),
        ((4, 4, 4), 4),
        ((1, 4, 4), 3),
        ((1, 1, 4), 2),
    ],
)
def test_the_documented_rule(scores: tuple[int, int, int], rank: int) -> None:
    # Mean of the three scores, rounded to the nearest whole, halves upwards.
    assert maturity_rank(*scores) == rank


@pytest.mark.django_db
def test_form_page_and_fragment(geo, nadia, htmx) -> None:
    client = logged_in(nadia)
    html = client.get(URL).content.decode()
    assert "<html" in html and "sans les nommer" in html and "1 — émergent" in html
    # Its form is posted as a whole (no swap): an HTMX request gets the whole page.
    page = client.get(URL, headers=htmx).content.decode()
    assert "<html" in page and 'id="form-maturite"' in page


@pytest.mark.django_db
def test_history_is_kept_and_shown(geo, nadia, client) -> None:
    admin = logged_in(nadia)
    for scores, why in [((1, 2, 2), "Premier diagnostic"), ((3, 4, 4), "Après deux ans")]:
        response = admin.post(
            URL,
            {
                "ecosystem_score": scores[0],
                "pivot_score": scores[1],
                "skills_score": scores[2],
                "rationale": why,
            },
        )
        assert response.status_code == 302
        assert response["Location"] == "/territoires/commune/94080/#maturite"
    assessments = list(MaturityAssessment.objects.filter(territory=geo.vincennes))
    assert [a.profile.rank for a in assessments] == [4, 2]
    assert assessments[0].assessed_by == nadia and assessments[0].assessor_name == "Nadia Admin"
    html = client.get("/territoires/commune/94080/").content.decode()
    assert "Profil 4 sur 4" in html and "Après deux ans" in html
    assert "Historique (2 évaluations)" in html and "Premier diagnostic" in html


@pytest.mark.django_db
def test_invalid_input_is_explained(geo, nadia) -> None:
    response = logged_in(nadia).post(
        URL, {"ecosystem_score": "9", "pivot_score": "2", "rationale": ""}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Dites pourquoi" in html
    assert "Sélectionnez un choix valide" in html
    assert not MaturityAssessment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["alice", "elise"])
def test_it_checks_the_role(geo, persona: str, request) -> None:
    client = logged_in(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert (
        client.post(
            URL, {"ecosystem_score": 1, "pivot_score": 1, "skills_score": 1, "rationale": "x"}
        ).status_code
        == 403
    )
    assert not MaturityAssessment.objects.exists()


@pytest.mark.django_db
def test_unknown_territory_is_404(nadia) -> None:
    assert logged_in(nadia).get("/territoires/commune/00000/maturite/").status_code == 404
