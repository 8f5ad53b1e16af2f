"""Answer distributions of the current version and the anonymised CSV/XLSX export."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pratiques.aggregates import release_aggregates
from pratiques.curation.queries import EXPORT_COLUMNS
from pratiques.models import (
    Answer,
    Assessment,
    AssessmentPseudonym,
    GridVersion,
    Practice,
    Vouch,
)
from territoires.models import ActorProfile, Engineering, SizeSegment
from tests.conftest import committed, logged_in, ok
from tests.factories import months_later

pytestmark = pytest.mark.django_db

ANALYTICS = reverse("pratiques:curation:analytics")
CSV = reverse("pratiques:curation:export_csv")
XLSX = reverse("pratiques:curation:export_xlsx")


def submitted(n: int, geo, *, consent: bool = True, prefix: str = "cat") -> list[Assessment]:
    version = GridVersion.objects.get(slug="2024")
    practices = list(Practice.objects.filter(version=version).order_by("situation__order", "order"))
    profile = ActorProfile.objects.order_by("order").first()
    segment = SizeSegment.objects.order_by("order").last()
    engineering = Engineering.objects.order_by("order").first()
    result = []
    for i in range(n):
        # No password: hashing one per user would dominate the test's time.
        user = User.objects.create(
            username=f"{prefix}{i}{'c' if consent else 'n'}",
            first_name="Secret",
            last_name=f"Nom{i}",
        )
        Vouch.objects.create(user=user, source="invitation")  # established: they count
        assessment = Assessment.objects.create(
            user=user,
            version=version,
            territory=geo.vincennes,
            actor_profile=profile,
            size_segment=segment,
            region=geo.idf,
            status="submitted",
            submitted_at=timezone.now(),
            consent_statistics=consent,
        )
        assessment.engineerings.add(engineering)
        AssessmentPseudonym.objects.create(assessment=assessment)  # given at submission
        Answer.objects.bulk_create(
            [
                Answer(
                    assessment=assessment,
                    practice=p,
                    frequency=(i + j) % 4,
                    involvement=1,
                    carrying=2,
                    wants_to_develop=(j == 0),
                    comment="commentaire privé",
                )
                for j, p in enumerate(practices[:-1])
            ]
            + [Answer(assessment=assessment, practice=practices[-1], not_concerned=True)]
        )
        result.append(assessment)
    return result


def test_distributions_full_page_and_fragment(
    nadia, geo, htmx, django_assert_max_num_queries
) -> None:
    submitted(6, geo)
    submitted(2, geo, consent=False)
    release_aggregates()  # the page reads the release: a noisy total, never the live count
    client = logged_in(nadia)
    with django_assert_max_num_queries(12):
        response = ok(client.get(ANALYTICS))
    html = response.content.decode()
    assert "<html" in html and "plotly.min.js" in html
    assert re.search(r"environ <strong>\d+</strong> personnes", html)
    assert 'id="distribution-data"' in html
    fragment = client.get(ANALYTICS, headers=htmx).content.decode()
    assert "<html" not in fragment and 'id="analyses"' in fragment


def test_query_count_does_not_grow_with_assessments(
    nadia, geo, django_assert_max_num_queries
) -> None:
    submitted(12, geo)
    release_aggregates()
    client = logged_in(nadia)
    with django_assert_max_num_queries(12):
        ok(client.get(ANALYTICS))


def test_fewer_than_five_shows_no_distribution(nadia, geo) -> None:
    submitted(3, geo)
    release_aggregates()
    html = logged_in(nadia).get(ANALYTICS).content.decode()
    assert "Moins de 5 personnes" in html
    assert 'id="distribution-data"' not in html


def test_csv_export_is_anonymised(nadia, geo) -> None:
    assessments = submitted(5, geo)
    submitted(1, geo, consent=False)
    release_aggregates()  # the export is produced at a release
    client = logged_in(nadia)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CSV)
        b"".join(response.streaming_content)
    # Reading the export never writes (pseudonyms are given at submission).
    assert not any(
        q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for q in queries.captured_queries
        if "django_session" not in q["sql"]
    )
    response = logged_in(nadia).get(CSV)
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == EXPORT_COLUMNS
    assert len(rows) == 1 + 5 * 24
    for forbidden in ("Secret", "Nom0", "cat0c", "commentaire privé", "Vincennes"):
        assert forbidden not in text
    for assessment in assessments:
        assert f";{assessment.user_id};" not in text
    pseudonyms = {row[0] for row in rows[1:]}
    assert len(pseudonyms) == 5 and all(p.startswith("p-") for p in pseudonyms)
    first = dict(zip(EXPORT_COLUMNS, rows[1], strict=True))
    assert first["region"] in ("Île-de-France", "France métropolitaine")
    assert first["segment_taille"] == "plus de 50 000 habitants"
    assert first["version"] == "2024" and first["pratique_code"] == "1.1"
    assert first["frequence_libelle"] != ""  # rows are shuffled: any person may come first
    last = dict(zip(EXPORT_COLUMNS, rows[24], strict=True))
    assert last["non_concerne"] == "oui" and last["frequence"] == ""

    # Stable: the same pseudonyms on the next export.
    again = b"".join(logged_in(nadia).get(CSV).streaming_content).decode("utf-8-sig")
    assert {r[0] for r in list(csv.reader(io.StringIO(again), delimiter=";"))[1:]} == pseudonyms
    assert AssessmentPseudonym.objects.count() == 6


def test_the_export_is_k_anonymous_on_its_quasi_identifiers(nadia, geo) -> None:
    from pratiques.curation.queries import export_smallest_class

    submitted(5, geo)
    release_aggregates()
    smallest, exported, left_out = export_smallest_class()
    assert smallest >= 5 and exported == 5 and left_out == 0
    # A sixth person alone in their class (another region, another year) is generalised or left out.
    other = submitted(1, geo, prefix="autre")[0]
    Assessment.objects.filter(pk=other.pk).update(
        region=geo.ara, submitted_at=timezone.now().replace(year=2023)
    )
    release_aggregates(now=months_later())
    smallest, exported, left_out = export_smallest_class()
    assert smallest >= 5 and exported + left_out == 6
    text = b"".join(logged_in(nadia).get(CSV).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    classes: dict[tuple[str, ...], set[str]] = {}
    for row in rows:
        classes.setdefault(tuple(row[1:7]), set()).add(row[0])
    assert min(len(people) for people in classes.values()) >= 5


def test_xlsx_export(nadia, geo) -> None:
    submitted(5, geo)
    release_aggregates()
    response = logged_in(nadia).get(XLSX)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook["reponses"].iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_COLUMNS
    assert len(rows) == 1 + 5 * 24
    assert not any("Secret" in str(cell) for row in rows for cell in row)


def test_xlsx_splits_sheets_and_handles_no_answer(nadia, geo, monkeypatch) -> None:
    from pratiques.curation.views import analytics as views

    client = logged_in(nadia)
    empty = load_workbook(io.BytesIO(client.get(XLSX).content), read_only=True)
    assert list(next(empty["reponses"].iter_rows(values_only=True))) == EXPORT_COLUMNS
    submitted(5, geo)
    release_aggregates()
    monkeypatch.setattr(views, "XLSX_ROWS_PER_SHEET", 50)
    workbook = load_workbook(io.BytesIO(client.get(XLSX).content), read_only=True)
    assert workbook.sheetnames[:3] == ["reponses", "reponses-2", "reponses-3"]
    assert (
        sum(
            len(list(workbook[name].iter_rows())) - 1
            for name in workbook.sheetnames
            if name.startswith("reponses")
        )
        == 120
    )


def test_an_admin_asks_for_a_release_others_cannot(nadia, alice, geo) -> None:
    from django_tasks_db.models import DBTaskResult

    url = reverse("pratiques:curation:release_create")
    assert logged_in(alice).post(url).status_code == 403
    assert logged_in(nadia).get(url).status_code == 405
    client = logged_in(nadia)
    with committed():
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == ANALYTICS
    assert DBTaskResult.objects.filter(task_path__endswith="release_aggregates_task").exists()
    html = client.get(ANALYTICS).content.decode()
    assert "Nouvelle diffusion demandée" in html and "Aucune diffusion n'a encore eu lieu" in html
