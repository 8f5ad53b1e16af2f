from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from config.shares import carried
from pratiques.aggregates import release_aggregates, territory_practices
from tests.conftest import ok
from tests.factories import months_later
from tests.pratiques.helpers import peers

pytestmark = pytest.mark.django_db


def test_before_any_release_nothing_is_published(geo) -> None:
    peers(geo.vincennes, 6)
    html = Client().get("/pratiques/territoires/commune/94080/").content.decode()
    assert "Aucune diffusion" in html and "Médiane" not in html


def test_below_the_threshold_only_a_sentence_never_the_count(geo) -> None:
    peers(geo.vincennes, 4)
    release_aggregates()
    html = Client().get("/pratiques/territoires/commune/94080/").content.decode()
    assert "Moins de 5" in html and "Médiane" not in html and "4 catalyseur" not in html


def test_released_figures_for_an_epci_page_fragment_and_csv(
    geo, htmx, django_assert_num_queries
) -> None:
    peers(geo.vincennes, 6)
    peers(geo.saint_mande, 6, start_index=10)
    peers(geo.saint_etienne, 5, start_index=20)  # France minus the EPCI: 5 people
    release_aggregates()
    # territory, current version, latest release, its row, the grid (3): whatever the people.
    with django_assert_num_queries(7):
        html = ok(
            Client().get("/pratiques/territoires/epci/200054781/", headers=htmx)
        ).content.decode()
    assert "<html" not in html and "Diffusion du" in html
    assert "pris en compte : environ" in html and "Médiane" in html and "En partenariat" in html
    full = Client().get("/pratiques/territoires/epci/200054781/").content.decode()
    assert "<html" in full and "Médiane" in full
    csv = Client().get("/pratiques/territoires/epci/200054781/pratiques.csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("territoire;diffusion;personnes") and len(lines) == 25
    # The page, the CSV and the report read the same released figures.
    released = territory_practices(geo.grand_paris)
    first = released.practices[0]
    # … the three ways of carrying 100 % together (config.shares), « environ » said at 0 and 100.
    shares = (*carried(first.in_house, first.partnership, first.both), first.develop)
    assert lines[0].endswith(";environ")
    assert lines[1].split(";")[5:] == [
        *("" if v is None else str(v) for v in shares),
        "oui" if any(v is not None and v in (0, 100) for v in shares) else "non",
    ]
    assert "Moins de 5" in Client().get("/pratiques/territoires/commune/42095/").content.decode()


def test_unknown_territory_is_404(alice: User) -> None:
    assert Client().get("/pratiques/territoires/commune/00000/").status_code == 404
    assert Client().get("/pratiques/territoires/commune/00000/pratiques.csv").status_code == 404


def test_a_new_grid_version_keeps_the_released_figures(geo, nadia) -> None:
    """Figures are keyed by stable keys: a new version shows them for the keys that persist."""
    from pratiques.curation import services as curation
    from pratiques.models import GridVersion

    peers(geo.vincennes, 6)
    release_aggregates()
    before = territory_practices(geo.vincennes)
    assert before.shown and len(before.practices) == 24
    draft = curation.version_copy(actor=nadia, label="2026")
    curation.version_publish(actor=nadia, version=draft)
    assert GridVersion.objects.current().label == "2026"
    after = territory_practices(geo.vincennes)
    assert after.shown and after.version.label == "2026"
    assert [p.in_house for p in after.practices] == [p.in_house for p in before.practices]
    release_aggregates(
        now=months_later()
    )  # assessments on 2024 still count for the keys that persist
    assert territory_practices(geo.vincennes).shown
