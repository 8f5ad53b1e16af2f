"""Issue 28: the seven territories tried as a new user would each give a report worth handing to a
council — a first page with the summary and next steps, no heading over nothing, no column of
« n.d. », peer groups named as they are with their number — read from the PDF with pypdf.

The PDFs are rendered by WeasyPrint; the chart images are left out (their export drives a browser
and shows no figure that is not in the tables)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils.text import slugify

from observatoire.report import data as report_data
from observatoire.report import render
from observatoire.report.collect import collect_report_data
from observatoire.report.data import ReportImages
from tests.conftest import ok
from tests.observatoire.report_helpers import no_charts, pdf_pages, pdf_text
from tests.observatoire.seven_territories import Seven, seven_territories

pytestmark = pytest.mark.django_db

MIDDLE = "20 000 à 50 000 habitants (segment « moins de 50 000 habitants » des publications)"


@pytest.fixture(autouse=True)
def cache_dir(settings: Any, tmp_path: Any) -> Any:
    settings.CACHE_DIR = tmp_path
    return tmp_path


@pytest.fixture(scope="module")
def seven(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Seven]:
    """Built once for the module, in a transaction rolled back after its tests."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield seven_territories()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def pdfs(seven: Seven, django_db_blocker: Any) -> dict[str, bytes]:
    client = Client()
    with django_db_blocker.unblock(), no_charts():
        pdfs = {
            t.name: ok(client.get(f"/territoires/{t.level}/{t.code}/rapport.pdf")).content
            for t in seven.all()
        }
    # To look at them as a person would (pdftoppm -png): REPORT_PDF_DIR=some/folder.
    if folder := os.environ.get("REPORT_PDF_DIR"):
        for name, pdf in pdfs.items():
            (Path(folder) / f"{slugify(name)}.pdf").write_bytes(pdf)
    return pdfs


def headings_without_content(html: str) -> list[str]:
    """Headings followed directly by another heading of the same or a higher rank, or by the end
    of their section."""
    tokens = re.findall(r"<(h[1-4])[^>]*>(.*?)</\1>|(</section>)|<(p|ul|table|figure|div)\b", html)
    empty = []
    for here, following in zip(tokens, [*tokens[1:], ("", "", "</section>", "")], strict=True):
        if not here[0]:
            continue
        closes = following[2] == "</section>"
        same_or_higher = following[0] and following[0] <= here[0]
        if closes or same_or_higher:
            empty.append(re.sub(r"<[^>]+>", "", here[1]))
    return empty


def test_every_pdf_opens_on_the_summary_and_next_steps(seven: Seven, pdfs: dict) -> None:
    for territory in seven.all():
        first = pdf_pages(pdfs[territory.name])[0]
        assert territory.name in first
        for heading in ("En bref", "Ce qui ressort", "Pour aller plus loin"):
            assert heading in first, (territory.name, heading)
        page = f"{settings.SITE_URL}/territoires/{territory.level}/{territory.code}/"
        assert page in first, territory.name  # the short address beside the QR code
        assert "Obtenir une évaluation de maturité" in first
        assert "Qualifier les pratiques d’ingénierie" in first
        assert "Ouvrir un dialogue territorial" in first
        assert "Pratiques d’ingénierie :" in first


def test_no_heading_over_nothing_and_no_column_of_nd(seven: Seven, pdfs: dict) -> None:
    for territory in seven.all():
        data = collect_report_data(territory)
        html = render.render_html(data, ReportImages())
        assert headings_without_content(html) == [], territory.name
        assert 'src=""' not in html
        assert "data:image/svg+xml" in html  # the QR code
        text = pdf_text(pdfs[territory.name])
        assert "n.d." not in text, territory.name
        assert "Aucun niveau n’est encore retenu" not in text  # an indicators' reading instead
        assert "Couverture par axe et par situation" not in text  # no released distribution
        # French formats: no ISO date, no « (s) » plural, « 1er » never « 1e ».
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), territory.name
        assert "(s)" not in text and not re.search(r"\b1e\b", text), territory.name
        assert re.search(r"Rapport du (1er|\d{1,2}) \w+ \d{4}", text)


def test_dropped_columns_are_said_once(seven: Seven, monkeypatch: pytest.MonkeyPatch) -> None:
    # The table is in the PDF when it is short: as if these 14 indicators were.
    monkeypatch.setattr(report_data, "TABLE_IN_CSV_FROM", 20)

    def text(territory: Any) -> str:
        html = render.render_html(collect_report_data(territory), ReportImages())
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))

    said = "Sans valeur de comparaison à ce niveau pour ces indicateurs :"
    assert f"{said} Département (colonne omise)" in text(seven.departement)
    assert f"{said} Département, Région (colonnes omises)" in text(seven.region)
    assert said not in text(seven.vincennes)


def test_peer_groups_are_named_as_they_are_with_their_number(seven: Seven, pdfs: dict) -> None:
    texts = {name: pdf_text(pdf) for name, pdf in pdfs.items()}
    # Vincennes and Mâcon, 20 000 to 50 000 inhabitants: with Saint-Mandé and the témoins.
    for name in (seven.vincennes.name, seven.macon.name):
        assert re.search(rf"les \d+ communes de {re.escape(MIDDLE)}", texts[name]), name
        assert "communes de moins de 50 000 habitants" not in texts[name]
    assert re.search(r"les \d+ communes de moins de 2 000 habitants", texts[seven.small.name])
    # Régions among régions, départements among départements: no size band.
    assert "les 7 régions" in texts[seven.region.name]
    assert "régions de plus de" not in texts[seven.region.name]
    assert "les 9 départements" in texts[seven.departement.name]
    assert "départements de plus de" not in texts[seven.departement.name]
    assert re.search(
        r"les \d+ intercommunalités de plus de 50 000 habitants", texts["Saint-Étienne Métropole"]
    )
    assert re.search(
        r"les \d+ arrondissements municipaux de plus de 50 000 habitants", texts[seven.lyon3.name]
    )
    # Ranks shown with the number of peers they are taken among.
    for text in texts.values():
        assert re.search(r"situés parmi les \d+ ", text)


def test_a_reading_of_fragilities_for_every_territory(seven: Seven, pdfs: dict) -> None:
    for territory in seven.all():
        text = pdf_text(pdfs[territory.name])
        assert "Lecture des indicateurs parmi les pairs" in text, territory.name
        assert re.search(r"\d+(er|e) centile — (parmi le quart|plus fragile|moins fragile)", text)
        assert "Lecture des indicateurs : pour chaque domaine, la médiane" in text  # Méthode
    small = pdf_text(pdfs[seven.small.name])
    assert "Aucun niveau de fragilité n’est encore retenu par le réseau" in small
    vincennes = pdf_text(pdfs[seven.vincennes.name])
    # Curated and indicators side by side: the gap in one sentence on the same line.
    assert "3 — forte" in vincennes


def test_the_long_indicator_table_is_the_csvs(seven: Seven, pdfs: dict) -> None:
    """14 indicators: the body says where their table is (the territory's CSV), no annex."""
    for territory in seven.all():
        text = pdf_text(pdfs[territory.name]).replace("/ ", "/")  # an address cut at a line end
        csv = f"{settings.SITE_URL}/territoires/{territory.level}/{territory.code}/indicateurs.csv"
        assert f"est dans le fichier CSV du territoire, à télécharger : {csv}" in text
        assert "Annexe" not in text and "Rang centile (100 = le plus fragile)" not in text
        assert len(pdf_pages(pdfs[territory.name])) <= 5, territory.name


def test_an_independent_pdf_ua_checker_finds_no_error(
    seven: Seven, pdfs: dict, tmp_path: Path
) -> None:
    """pdfua (pikepdf, the machine-checkable part of PDF/UA-1): no error, and every table's header
    cells carry their /Scope (the warning UA-15-003 of issue 28 is gone)."""
    from pdfua import Severity, validate

    for territory in seven.all():
        path = tmp_path / f"{slugify(territory.name)}.pdf"
        path.write_bytes(pdfs[territory.name])
        report = validate(str(path))
        errors = [f for f in report.findings if f.severity == Severity.ERROR]
        assert errors == [], (territory.name, [(f.rule_id, f.message) for f in errors])
        assert not [f for f in report.findings if f.rule_id == "UA-15-003"], territory.name
