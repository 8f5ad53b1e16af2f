"""The report on real platform data: assessments (anonymity rule, scope, consent), maturity,
indicators with peer percentiles, and cache invalidation when any of them changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from observatoire.models import Indicator, IndicatorValue
from observatoire.report import render
from observatoire.report.collect import collect_report_data
from pratiques.models import Assessment
from pratiques.services import AnswerData
from territoires.models import Fragility, MaturityAssessment, MaturityProfile
from tests.factories import submitted_assessment
from tests.observatoire.report_helpers import pdf_text


@pytest.fixture(autouse=True)
def cache_dir(settings: Any, tmp_path: Any) -> Any:
    settings.CACHE_DIR = tmp_path
    return tmp_path


def submit(user: Any, territory: Any, *, seed: int, consent: bool = True) -> Any:
    """A submitted assessment on the current grid whose answers vary with ``seed``."""
    return submitted_assessment(
        user,
        territory,
        lambda index, practice: AnswerData(
            frequency=(seed + index) % 4,
            involvement=1,
            carrying=1 + (seed + index) % 3,
            wants_to_develop=practice.code == "5.3",
        ),
        consent=consent,
    )


def person(username: str) -> Any:
    from django.contrib.auth.models import User

    from pratiques.models import Vouch

    user = User.objects.create(username=username)  # no password: hashing is slow
    Vouch.objects.create(user=user, source="invitation")  # an established person: counts
    return user


@pytest.mark.chromium
@pytest.mark.django_db
def test_four_people_give_no_practice_section_five_do(geo: Any, alice: Any) -> None:
    from pratiques.aggregates import release_aggregates
    from pratiques.models import Vouch
    from tests.factories import months_later

    client = Client()
    # Four people on communes of the Métropole du Grand Paris, plus ones that never count.
    for seed, commune in enumerate(
        [geo.vincennes, geo.vincennes, geo.saint_mande, geo.saint_mande]
    ):
        submit(person(f"p{seed}"), commune, seed=seed)
    submit(person("p-no"), geo.vincennes, seed=9, consent=False)  # no consent
    for i in range(5):  # another EPCI (France minus the EPCI: 5 people, no suppression)
        submit(person(f"p-other{i}"), geo.saint_etienne, seed=8 + i)
    draft = submit(person("p-draft"), geo.vincennes, seed=7)
    Assessment.objects.filter(pk=draft.pk).update(status="draft", submitted_at=None)
    submit(person("p0-twice"), geo.vincennes, seed=3)
    Assessment.objects.filter(user__username="p0-twice").update(
        user=Assessment.objects.filter(user__username="p0").values("user_id")[:1]
    )  # a second assessment of the same person counts once
    release_aggregates()

    text = pdf_text(client.get("/territoires/epci/200054781/rapport.pdf").content)
    assert "Moins de 5 catalyseurs agissant sur ce territoire" in text
    assert "Comment les pratiques sont portées" not in text
    assert "4 autodiagnostics" not in text and "Seuls" not in text  # never an exact small count

    before = render.stats["renders"]
    Vouch.objects.create(user=alice, source="invitation")
    submit(alice, geo.grand_paris, seed=5)  # on the EPCI itself: the fifth person
    response = client.get("/territoires/epci/200054781/rapport.pdf")
    assert "Moins de 5 catalyseurs" in pdf_text(response.content)  # nothing until a release
    release_aggregates(now=months_later())  # releases are at most monthly
    response = client.get("/territoires/epci/200054781/rapport.pdf")
    assert response["X-Report-Cache"] == "miss" and render.stats["renders"] >= before + 1
    text = pdf_text(response.content)
    assert "Catalyseurs pris en compte : environ" in text and "Diffusion du" in text
    assert "Comment les pratiques sont portées" in text
    assert "Faire valoir les impacts des alliances" in text  # 5.3, the practice to develop
    # Medians and quartiles wait for 10 people; a commune alone stays under the threshold.
    assert "n’est publiée qu’à partir de 10 catalyseurs" in text
    assert "Couverture par axe et par situation" not in text  # no heading over nothing
    assert "Moins de 5 catalyseurs" in pdf_text(
        client.get("/territoires/commune/94080/rapport.pdf").content
    )


@pytest.mark.django_db
def test_the_released_figures_carrying_and_practices_to_develop(geo: Any, monkeypatch: Any) -> None:
    from pratiques import disclosure
    from pratiques.aggregates import release_aggregates

    # The report only formats what is released: without noise, the ranking is the data's own
    # (the noise itself is tested in tests/privacy/).
    monkeypatch.setattr(disclosure, "noisy", lambda values, scale=0: [int(v) for v in values])

    for seed in range(10):
        submit(person(f"p{seed}"), geo.firminy, seed=seed)
    release_aggregates()
    released = collect_report_data(geo.st_etienne_metropole).practices
    assert released.shown and released.people is not None and released.people % 5 == 0
    assert len(released.situations) == 8 and len(released.practices) == 24
    first = released.practices[0]
    assert all(v is None or v % 10 == 0 for v in (first.in_house, first.partnership, first.both))
    assert "5.3" in [p.practice.code for p in released.most_to_develop]
    assert released.barycentre is not None and sum(released.barycentre) == 100


@pytest.mark.chromium
@pytest.mark.django_db
def test_maturity_and_indicators_show_and_invalidate_the_cache(geo: Any, nadia: Any) -> None:
    client = Client()
    client.get("/territoires/commune/94080/rapport.pdf")
    profile = MaturityProfile.objects.get(rank=3)
    MaturityAssessment.objects.create(
        territory=geo.vincennes,
        ecosystem_score=3,
        pivot_score=3,
        skills_score=2,
        profile=profile,
        rationale="Diagnostic partagé en conseil communautaire.",
        assessed_by=nadia,
    )
    response = client.get("/territoires/commune/94080/rapport.pdf")
    assert response["X-Report-Cache"] == "miss"
    assert profile.label in pdf_text(response.content)

    housing = Fragility.objects.get(code="mal-logement")
    indicator = Indicator.objects.create(
        code="suroccupation",
        label="Part des résidences principales suroccupées",
        unit="%",
        source="INSEE RP",
        vintage="2021",
        fragility=housing,
        polarity="fragilite",
    )
    values = {geo.vincennes: 9.5, geo.saint_mande: 7.25, geo.val_de_marne: 8.0}
    values |= {geo.idf: 8.5, geo.france: 5.0, geo.saint_etienne: 6.0, geo.firminy: 4.0}
    for territory, value in values.items():
        IndicatorValue.objects.create(
            indicator=indicator, territory=territory, year=2021, value=value
        )
    response = client.get("/territoires/commune/94080/rapport.pdf")
    assert response["X-Report-Cache"] == "miss"
    text = pdf_text(response.content)
    assert "Part des résidences principales suroccupées" in text
    assert "9,5 8 8,5 5" in text  # Vincennes, Val-de-Marne, Île-de-France, France
    assert "Rang centile" in text
    # The position chart is an SVG whose text stays text in the PDF.
    assert "Rang centile parmi les pairs (100 = le plus fragile)" in text


@pytest.mark.chromium
@pytest.mark.django_db
def test_resources_of_the_practices_to_develop(geo: Any, alice: Any) -> None:
    from pratiques.aggregates import release_aggregates
    from pratiques.models import Practice, Resource, ResourceAttachment

    for seed in range(10):  # 10 people: 5.3 stands out of the noise among the most to develop
        submit(person(f"p{seed}"), geo.firminy, seed=seed)
    release_aggregates()
    client = Client()
    text = pdf_text(client.get("/territoires/epci/244200770/rapport.pdf").content)
    # Nothing attached yet: the section says so and lists the network's library.
    assert "Aucune ressource n’est encore rattachée à ces pratiques" in text
    assert "MOOC « Les alliances qui changent les territoires »" in text
    practice = Practice.objects.get(version__status="published", code="5.3")
    mooc = Resource.objects.get(title__startswith="MOOC")
    ResourceAttachment.objects.create(resource=mooc, practice_key=practice.key)
    response = client.get("/territoires/epci/244200770/rapport.pdf")
    assert response["X-Report-Cache"] == "miss"  # a new attachment changes the report
    text = pdf_text(response.content)
    assert "Aucune ressource n’est encore rattachée" not in text
    assert "Pour : 5.3 Créer des liens entre les territoires" in text


@pytest.mark.django_db
def test_a_failing_chart_gives_a_report_without_it_never_cached(
    geo: Any, monkeypatch: pytest.MonkeyPatch, cache_dir: Any
) -> None:
    from observatoire.report import drawing

    indicator = Indicator.objects.create(
        code="demo-x", label="Indicateur X", fragility=Fragility.objects.first(), polarity="atout"
    )
    for territory, value in ((geo.firminy, 3.0), (geo.saint_mande, 4.0), (geo.vincennes, 5.0)):
        IndicatorValue.objects.create(
            indicator=indicator, territory=territory, year=2022, value=value
        )

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("dessin impossible")

    monkeypatch.setattr(drawing, "fragility_profile", broken)
    response = Client().get("/territoires/commune/42095/rapport.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Graphique momentanément indisponible" in text
    assert "Rapport produit sans graphiques" in text
    assert not list((cache_dir / "reports" / "commune").glob("42095-*.pdf"))
