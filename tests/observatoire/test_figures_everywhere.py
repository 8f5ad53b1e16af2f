"""One meaning per figure: 20 territories of every level (commune, EPCI, département, région,
projet) read through the page fragment, the CSV download and the PDF report (text extracted)
show the same indicator figures — value, year, rate per 1 000 inhabitants, rank among peers,
number of peers — and the same sentence relating the curated fragility level to the ranks.

The data come from a small deterministic generator (fixed seed). The PDFs are really rendered by
WeasyPrint; only the plotly chart images are left out (their export drives a browser and shows no
figure that is not in the tables)."""

from __future__ import annotations

import csv
import html as html_lib
import io
import random
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from pypdf import PdfReader

from observatoire.imports.loading import peer_distributions_refresh
from observatoire.models import Indicator, IndicatorValue
from observatoire.report import charts
from observatoire.report.data import ReportImages
from observatoire.services import catalogue_import
from observatoire.templatetags.observatoire import indicator_value
from territoires.models import (
    Fragility,
    FragilityReading,
    Level,
    ProjectMember,
    Territory,
)
from tests.conftest import ok

pytestmark = pytest.mark.django_db

PER_LEVEL = 20
YEAR = 2022
CATALOGUE = (
    "code;libelle;unite;source;millesime;domaine;polarite;additif;nature\n"
    "RSA;Allocataires du RSA;personnes;Essai;2022;Pauvreté / lutte contre l'exclusion;"
    "fragilite;oui;effectif\n"
    "ETAB;Établissements actifs;établissements;Essai;2022;Développement économique;"
    "atout;oui;effectif\n"
    "TXCHOM;Taux de chômage;%;Essai;2022;Emploi / chômage / insertion;fragilite;non;taux\n"
    "REVMED;Revenu médian;€;Essai;2022;Niveau de vie / pouvoir d'achat;atout;non;valeur\n"
)
LEVELS = [Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT, Level.REGION, Level.PROJECT]


@pytest.fixture(autouse=True)
def cache_dir(settings: Any, tmp_path: Any) -> Any:
    settings.CACHE_DIR = tmp_path
    return tmp_path


@pytest.fixture
def no_chart_images(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "draw", lambda data: ReportImages())


def generated_territories() -> dict[str, list[Territory]]:
    """France, then per level 20 territories over two size segments (fixed seed)."""
    rng = random.Random(20261130)
    france = Territory.objects.create(level=Level.COUNTRY, code="FR", name="France")
    made: dict[str, list[Territory]] = {level: [] for level in LEVELS}
    for i in range(PER_LEVEL):
        region = Territory.objects.create(
            level=Level.REGION,
            code=f"R{i:02d}",
            name=f"Région {i}",
            population=rng.choice([30_000, 45_000, 60_000, 90_000]) + i,
        )
        departement = Territory.objects.create(
            level=Level.DEPARTEMENT,
            code=f"D{i:02d}",
            name=f"Département {i}",
            population=rng.choice([25_000, 40_000, 55_000, 80_000]) + i,
            region=region,
        )
        epci = Territory.objects.create(
            level=Level.EPCI,
            code=f"2000000{i:02d}",
            name=f"Intercommunalité {i}",
            population=rng.choice([21_000, 35_000, 52_000, 70_000]) + i,
            region=region,
            departement=departement,
        )
        commune = Territory.objects.create(
            level=Level.COMMUNE,
            code=f"9{i:04d}",
            name=f"Commune {i}",
            population=rng.choice([2_500, 9_000, 22_000, 45_000]) + i,
            region=region,
            departement=departement,
            epci=epci,
        )
        project = Territory.objects.create(
            level=Level.PROJECT,
            code=f"P{i:02d}",
            name=f"Pays {i}",
            population=epci.population,
        )
        ProjectMember.objects.create(project=project, member=epci)
        for level, territory in zip(
            LEVELS, [commune, epci, departement, region, project], strict=True
        ):
            made[level].append(territory)
    made[Level.COUNTRY] = [france]
    return made


@pytest.fixture(scope="module")
def data(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, list[Territory]]]:
    """Built once per test process for the module's tests, in a transaction rolled back after them
    (each test nests in it)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield generated_data()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def generated_data() -> dict[str, list[Territory]]:
    run = catalogue_import(data=CATALOGUE.encode(), file_name="catalogue.csv")
    assert run.status == "reussi", run.problems
    territories = generated_territories()
    indicators = {i.code: i for i in Indicator.objects.all()}
    rng = random.Random(17)
    values = []
    for level, items in territories.items():
        for territory in items:
            population = territory.population or 1_000_000
            secret = rng.random() < 0.08  # a missing value now and then (never 0)
            values += [
                IndicatorValue(
                    indicator=indicators["RSA"],
                    territory=territory,
                    year=YEAR,
                    value=None if secret else round(population * rng.uniform(0.01, 0.05)),
                ),
                IndicatorValue(
                    indicator=indicators["ETAB"],
                    territory=territory,
                    year=YEAR,
                    value=round(population * rng.uniform(0.05, 0.12)),
                ),
                IndicatorValue(
                    indicator=indicators["TXCHOM"],
                    territory=territory,
                    year=YEAR,
                    value=round(rng.uniform(4, 16), 1),
                ),
                IndicatorValue(
                    indicator=indicators["REVMED"],
                    territory=territory,
                    year=YEAR - (level == Level.REGION),  # another year at one level
                    value=round(rng.uniform(18_000, 28_000)),
                ),
            ]
    IndicatorValue.objects.bulk_create(values)
    peer_distributions_refresh(
        indicator_ids=[i.pk for i in indicators.values()], years=[YEAR - 1, YEAR]
    )
    # A curated level on « Pauvreté » for half the territories (0 = non observée).
    poverty = Fragility.objects.get(code="pauvrete-exclusion")
    for level in LEVELS:
        for territory in territories[level][::2]:
            FragilityReading.objects.create(
                territory=territory,
                fragility=poverty,
                level=0,
                source="diagnostic",
                diagnosis_author="Réseau",
                diagnosis_date=date(2025, 3, 1),
            )
    return territories


def page_rows(html: str) -> dict[str, dict[str, str]]:
    """Indicator code → figures as the page prints them."""
    rows = {}
    for match in re.finditer(r'<tr data-indicator="(\w+)">(.*?)</tr>', html, re.S):
        cells = match[2]

        def field(name: str, cells: str = cells) -> str:
            found = re.search(rf'data-field="{name}">(.*?)</(?:td|span)>', cells, re.S)
            return re.sub(r"<[^>]+>", "", found[1]).strip() if found else ""

        rank = re.search(r"(\d+)<sup>e</sup> centile</span>\s*<span[^>]*>sur (\S+)</span>", cells)
        rows[match[1]] = {
            "year": field("year"),
            "value": re.sub(r"<[^>]+>", "", field("value").split("<br>")[0]).strip(),
            "rate": field("rate").replace(" pour 1 000 hab.", "").replace("\xa0", " "),
            "rank": rank[1] if rank else "",
            "peers": rank[2] if rank else "",
        }
    for row in rows.values():
        row["value"] = re.split(r"\s{2,}|\n", row["value"])[0]
        if row["rate"]:
            row["value"] = row["value"].split(row["rate"])[0].strip()
    return rows


def csv_rows(text: str) -> dict[str, dict[str, str]]:
    """Indicator code → the row of the year shown on the page (the one with comparisons)."""
    rows = {}
    for row in csv.DictReader(io.StringIO(text), delimiter=";"):
        if row["pairs"] or row["code"] not in rows:
            rows[row["code"]] = row
    return rows


def fragility_text(pdf: bytes) -> str:
    """Text of the report's pages up to the end of its fragility profile (part 1)."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        text = re.sub(r"[\s\u00a0\u202f]+", " ", page.extract_text() or "")
        pages.append(text)
        if "Pratiques d’ingénierie sur le territoire" in text:
            break
    return " ".join(pages)


def formatted(number: str) -> str:
    """A CSV number in the page's French format."""
    return indicator_value(float(number)) if number else ""


# One test per level (each renders 20 PDFs): the parallel test workers share them out.
@pytest.mark.chromium
@pytest.mark.parametrize("level", LEVELS)
def test_the_same_figures_on_the_page_in_the_pdf_and_in_the_csv(
    level: str,
    data: dict[str, list[Territory]],
    no_chart_images: None,
    django_assert_num_queries: Any,
) -> None:
    client = Client()
    htmx = {"HX-Request": "true"}
    checked = 0
    for territory in data[level]:
        base = f"/territoires/{territory.level}/{territory.code}"
        with django_assert_num_queries(7):  # « Ce qui a changé » included
            page = ok(client.get(f"{base}/indicateurs/", headers=htmx)).content.decode()
        page = html_lib.unescape(page)
        rows = page_rows(page)
        assert set(rows) == {"RSA", "ETAB", "TXCHOM", "REVMED"}, territory
        table = csv_rows(client.get(f"{base}/indicateurs.csv").content.decode("utf-8-sig"))
        pdf = fragility_text(client.get(f"{base}/rapport.pdf").content)
        assert "100 = le plus fragile" in page and "100 = le plus fragile" in pdf
        for code, shown in rows.items():
            row = table[code]
            # CSV = page
            assert row["annee"] == shown["year"], (territory, code)
            assert formatted(row["valeur"]) == shown["value"] or (
                not row["valeur"] and shown["value"] == "n.d."
            ), (territory, code, row, shown)
            assert formatted(row["pour_1000_habitants"]) == shown["rate"], (territory, code)
            assert row["rang_centile_100_le_plus_fragile"] == shown["rank"], (territory, code)
            assert row["pairs"] == shown["peers"].replace("\u202f", ""), (territory, code)
            # PDF = page: the row reads « label (unit) year value [rate] … rank sur n ».
            label = Indicator.objects.get(code=code)
            start = pdf.index(f"{label.label} ({label.unit}) {shown['year']}")
            line = pdf[start : start + 160]
            value = shown["value"].replace("\u202f", " ")
            assert f"({label.unit}) {shown['year']} {value}" in line, (territory, code, line)
            if shown["rate"]:
                assert f"{shown['rate'].replace(chr(0x202F), ' ')} pour 1 000 hab." in line
            if shown["rank"]:
                peers = shown["peers"].replace("\u202f", " ")
                assert f" {shown['rank']} sur {peers}" in line, (territory, code, line)
        sentences = [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found)).replace("À examiner : ", "").strip()
            for found in re.findall(r'class="domain-reading[^"]*">(.*?)</p>', page, re.S)
        ]
        curated = [text for text in sentences if text.startswith("Niveau retenu")]
        if territory in data[level][::2]:
            assert curated, territory
            # The report reads « level (source) » in its table, beside the indicators reading.
            level_text = curated[0].split(" ; ")[0]
            assert level_text.removeprefix("Niveau retenu par le réseau : ") in pdf
        for text in sentences:
            # Without a curated level, the same indicators' reading on the page and in the PDF.
            if "lecture des indicateurs seuls : " in text:
                reading = text.split("lecture des indicateurs seuls : ")[1].split(" ; ")[0]
                assert f"centile — {reading}" in pdf, (territory, reading)
        checked += 1
    assert checked >= 20, (level, checked)


def test_ranks_are_shown_on_more_than_250_rows_over_the_levels(
    data: dict[str, list[Territory]],
) -> None:
    """The rows with a rank, counted over every level (the test above checks them level by level)."""
    client = Client()
    ranks_seen = 0
    for level in LEVELS:
        for territory in data[level]:
            base = f"/territoires/{territory.level}/{territory.code}"
            page = ok(client.get(f"{base}/indicateurs/", headers={"HX-Request": "true"}))
            rows = page_rows(html_lib.unescape(page.content.decode()))
            ranks_seen += sum(1 for shown in rows.values() if shown["rank"])
    assert ranks_seen > 250
