"""The report's text, page by page, is the same before and after a change of its code that must
not change what it says (issue 30: « the report as one straight line »; a test compares the text
of three territories' PDFs — a commune, an EPCI, a région — with the texts stored beside it).

The chart images are left out (as in the seven-territory test), dates are written « <date> »
(the report is dated the day it is made). A deliberate change of the report's text rewrites the
stored texts: ``REPORT_GOLDEN_WRITE=1 pytest tests/observatoire/test_report_golden.py``, then
read the diff before committing it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.conftest import ok
from tests.observatoire.report_helpers import no_charts, pdf_pages
from tests.observatoire.seven_territories import Seven, seven_territories

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "report_golden"
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
DATE = re.compile(rf"\b(1er|\d{{1,2}}) ({MONTHS}) \d{{4}}\b")


def normalised(pdf: bytes) -> str:
    """One block per page, dates replaced, spaces normalised."""
    pages = [DATE.sub("<date>", page).strip() for page in pdf_pages(pdf)]
    return "".join(f"--- page {i} ---\n{page}\n" for i, page in enumerate(pages, 1))


@pytest.fixture(autouse=True)
def cache_dir(settings: Any, tmp_path: Any) -> Any:
    settings.CACHE_DIR = tmp_path
    return tmp_path


@pytest.fixture(scope="module")
def seven(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Seven]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield seven_territories()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.parametrize("which", ["vincennes", "epci", "region"])
def test_the_report_text_is_unchanged(seven: Seven, which: str) -> None:
    territory = getattr(seven, which)
    with no_charts():
        pdf = ok(Client().get(f"/territoires/{territory.level}/{territory.code}/rapport.pdf"))
    text = normalised(pdf.content)
    path = GOLDEN / f"{territory.level}-{territory.code}.txt"
    if os.environ.get("REPORT_GOLDEN_WRITE") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_a_report_takes_a_constant_number_of_queries(seven: Seven) -> None:
    """The key, then one pass of collection: the same queries for a commune, an EPCI and a
    région (none per indicator, domain or member); a second download reads the key only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from observatoire.report.cache import get_report
    from territoires.models import Territory

    counts = {}
    for place in (seven.vincennes, seven.epci, seven.region):
        # As the view reads it: with its parents.
        territory = Territory.objects.select_related("epci", "departement", "region").get(
            pk=place.pk
        )
        with no_charts(), CaptureQueriesContext(connection) as miss:
            assert get_report(territory)[1] is False
        with CaptureQueriesContext(connection) as hit:
            assert get_report(territory)[1] is True
        counts[territory.level] = (len(miss), len(hit))
    # 12 for the key (the latest published territorial dialogue among them), then the collection
    # (its « Fragilités perçues »: two queries) (« Ce qui a changé » included: earlier values, latest
    # releases): an EPCI counts its member communes (one query more), a commune looks for
    # examples of its size segment (two more).
    # a région reads its départements, for its map (one more).
    assert counts == {"commune": (29, 12), "epci": (28, 12), "region": (28, 12)}


def test_the_region_report_contains_the_map_of_france(seven: Seven) -> None:
    """Issue 27: the région's départements in colour on the map of France (a PNG the size of the
    drawing), named in its caption; no map for another level."""
    import io

    from pypdf import PdfReader

    from observatoire.report.cache import get_report
    from observatoire.report.drawing import MAP_WIDTH

    def images(pdf: bytes) -> list[tuple[int, int]]:
        found = []
        for page in PdfReader(io.BytesIO(pdf)).pages:
            for image in page.images:
                found.append(image.image.size)
        return found

    region, _ = get_report(seven.region)
    maps = {size for size in images(region) if size[0] == MAP_WIDTH}
    assert len(maps) == 1 and next(iter(maps))[1] > MAP_WIDTH * 0.8
    text = " ".join(pdf_pages(region))
    assert "Le département de la région : Val-de-Marne (94). Fond de carte : pygal_maps_fr" in text
    commune, _ = get_report(seven.vincennes)
    assert not [size for size in images(commune) if size[0] == MAP_WIDTH]
    assert "Fond de carte" not in " ".join(pdf_pages(commune))
