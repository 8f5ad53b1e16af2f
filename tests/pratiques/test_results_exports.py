"""Issue 31: a validated self-assessment's exports (CSV, XLSX, PDF) carry the scores, the peer
comparison and the triangle with its barycentre exactly as the results page shows them (peers:
released figures only)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from lxml import html as lxml_html
from openpyxl import load_workbook
from pypdf import PdfReader

from config import pdf
from pratiques.aggregates import release_aggregates
from tests.conftest import logged_in
from tests.pratiques.helpers import peers, start, submitted

pytestmark = pytest.mark.django_db


def page_figures(body: bytes) -> tuple[list[list[str]], dict[str, list[str]]]:
    """The scores table's rows (title and every cell, « — » for none) and the triangle's rows,
    read in the results page's HTML."""
    tree = lxml_html.fromstring(body)
    scores = [
        [row.xpath("string(th)").strip()] + [td.text_content().strip() for td in row.xpath("td")]
        for row in tree.xpath('//table[contains(@class, "scores")]/tbody/tr')
    ]
    triangle = {
        row.xpath("string(th)").strip(): [
            td.text_content().replace("%", "").strip() for td in row.xpath("td")
        ]
        for row in tree.xpath('//table[contains(@class, "triangle-shares")]/tbody/tr')
    }
    return scores, triangle


def export_figures(lines: list[list[Any]]) -> tuple[list[list[str]], dict[str, list[str]]]:
    """The same two tables rebuilt from an export's lines (header first)."""
    header, *rows = lines
    col = {name: i for i, name in enumerate(header)}

    def text(value: Any) -> str:
        return "—" if value in (None, "") else str(value)

    scores, triangle = [], {"Ma position": [], "Barycentre du groupe": []}
    for row in rows:
        if row[col["type"]] == "triangle":
            triangle["Ma position"].append(text(row[col["mon_score"]]))
            if row[col["barycentre_pairs_pct"]] not in (None, ""):
                triangle["Barycentre du groupe"].append(text(row[col["barycentre_pairs_pct"]]))
            continue
        cells = [row[col["libelle"]], text(row[col["mon_score"]])]
        if row[col["groupe_pairs"]] and any(
            row[col[name]] not in (None, "") for name in ("pairs_q1", "pairs_mediane", "pairs_q3")
        ):
            cells += [text(row[col[n]]) for n in ("pairs_q1", "pairs_mediane", "pairs_q3")]
            place = row[col["ma_place"]]
            cells.append(f"{place} (par rapport aux quartiles diffusés)" if place else "—")
        scores.append(cells)
    return scores, {name: values for name, values in triangle.items() if values}


def csv_lines(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def compared(alice: User, geo: Any) -> Any:
    """Alice's validated assessment and ten established peers, released: the page compares."""
    peers(geo.vincennes, 10)
    mine = submitted(alice, geo.vincennes, 3, 2)
    release_aggregates()
    return mine


def test_the_results_csv_and_xlsx_carry_the_page_s_figures(alice: User, compared: Any) -> None:
    client = logged_in(alice)
    page = client.get(f"/pratiques/evaluations/{compared.pk}/resultats/")
    assert "Médiane" in page.content.decode()  # the page compares with the released quartiles
    shown_scores, shown_triangle = page_figures(page.content)
    assert len(shown_scores) == 11 and len(shown_scores[0]) == 6  # 3 axes + 8 situations
    assert "Barycentre du groupe" in shown_triangle

    response = client.get(f"/pratiques/evaluations/{compared.pk}/resultats.csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = csv_lines(response.content)
    assert export_figures(lines) == (shown_scores, shown_triangle)
    assert lines[1][3] == "Tous les catalyseurs" and lines[1][5].startswith("environ ")

    workbook = load_workbook(
        io.BytesIO(client.get(f"/pratiques/evaluations/{compared.pk}/export.xlsx").content)
    )
    assert workbook.sheetnames == ["resultats", "reponses", "a-propos"]
    sheet = [list(row) for row in workbook["resultats"].iter_rows(values_only=True)]
    assert export_figures(sheet) == (shown_scores, shown_triangle)
    assert all(isinstance(v, int) for row in sheet[1:] for v in row[9:12] if v is not None)
    assert workbook["reponses"].max_row == 1 + 24


def test_the_exports_follow_the_peer_group_chosen_on_the_page(alice: User, compared: Any) -> None:
    client = logged_in(alice)
    group = f"profile-{compared.actor_profile_id}"
    page = client.get(f"/pratiques/evaluations/{compared.pk}/resultats/?groupe={group}")
    assert f"resultats.csv?groupe={group}" in page.content.decode()
    lines = csv_lines(
        client.get(f"/pratiques/evaluations/{compared.pk}/resultats.csv?groupe={group}").content
    )
    assert export_figures(lines) == page_figures(page.content)
    assert lines[1][3].startswith("Même profil d'acteur")


def test_below_the_threshold_the_exports_compare_with_nobody(alice: User, geo: Any) -> None:
    peers(geo.vincennes, 3)
    mine = submitted(alice, geo.vincennes, 3, 2)
    release_aggregates()
    client = logged_in(alice)
    page = client.get(f"/pratiques/evaluations/{mine.pk}/resultats/")
    lines = csv_lines(client.get(f"/pratiques/evaluations/{mine.pk}/resultats.csv").content)
    assert export_figures(lines) == page_figures(page.content)
    assert {line[5] for line in lines[1:]} == {"moins de 5"}
    assert all(cell == "" for line in lines[1:] for cell in line[10:])


def test_the_pdf_goes_through_the_pipeline_with_the_page_s_figures(
    alice: User, compared: Any
) -> None:
    client = logged_in(alice)
    shown_scores, shown_triangle = page_figures(
        client.get(f"/pratiques/evaluations/{compared.pk}/resultats/").content
    )
    before = pdf.stats.get("self-assessment", 0)
    response = client.get(f"/pratiques/evaluations/{compared.pk}/export.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert pdf.stats["self-assessment"] == before + 1
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "comparaison avec le groupe « Tous les catalyseurs »" in text
    for title, score, q1, median, q3, place in shown_scores:
        words = " ".join(title.split())
        place = place.removesuffix(" (par rapport aux quartiles diffusés)")
        assert f"{words} {score} {q1} {median} {q3} {place}" in text, words
    for name, values in shown_triangle.items():
        assert f"{name} " + " ".join(f"{v} %" for v in values) in text


def test_a_draft_has_no_results_export_and_others_get_nothing(
    alice: User, bob: User, geo: Any
) -> None:
    mine = submitted(alice, geo.vincennes, 1, 1)
    draft = start(alice, geo.vincennes)
    client = logged_in(alice)
    assert client.get(f"/pratiques/evaluations/{draft.pk}/resultats.csv").status_code == 404
    assert client.get(f"/pratiques/evaluations/{draft.pk}/export.xlsx").status_code == 404
    other = logged_in(bob)
    for suffix in ("resultats.csv", "export.xlsx", "export.pdf"):
        assert other.get(f"/pratiques/evaluations/{mine.pk}/{suffix}").status_code == 404


def test_the_results_csv_in_a_constant_number_of_queries(
    alice: User, compared: Any, django_assert_num_queries: Any
) -> None:
    client = logged_in(alice)
    client.get("/pratiques/")  # the session is read once
    with django_assert_num_queries(14) as context:
        response = client.get(f"/pratiques/evaluations/{compared.pk}/resultats.csv")
    assert response.status_code == 200, len(context.captured_queries)


def test_before_any_release_the_exports_say_there_are_no_peers(alice: User, geo: Any) -> None:
    mine = submitted(alice, geo.vincennes, 2, 1)
    client = logged_in(alice)
    page = client.get(f"/pratiques/evaluations/{mine.pk}/resultats/")
    body = client.get(f"/pratiques/evaluations/{mine.pk}/export.xlsx").content
    workbook = load_workbook(io.BytesIO(body))
    sheet = [list(row) for row in workbook["resultats"].iter_rows(values_only=True)]
    assert export_figures(sheet) == page_figures(page.content)
    assert {row[4] for row in sheet[1:]} == {"aucune"}
    about = " ".join(str(row[0]) for row in workbook["a-propos"].iter_rows(values_only=True))
    assert "Aucune diffusion n'a encore eu lieu" in about
