"""Finding examples: filters whose counts add up, French full-text search, constant queries,
the examples part of a territory page."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from pratiques.examples.queries import NONE, ExampleSearch, search_examples
from pratiques.models import ExampleStatus
from territoires.models import Fragility
from territoires.services import fragility_record
from tests.conftest import ok
from tests.pratiques.directory_helpers import example

LIST = reverse("pratiques:example_list")


def build(geo) -> list[str]:
    codes = list(Fragility.objects.order_by("order").values_list("code", flat=True)[:3])
    example("Mobilité rurale partagée", territories=[geo.small_commune], fragilities=codes[:2],
            impact="performance", body="Des covoiturages organisés entre villages.")  # fmt: skip
    example("Tiers-lieu numérique", territories=[geo.vincennes], fragilities=[codes[1]],
            impact="innovation")  # fmt: skip
    example("Santé de proximité", territories=[geo.saint_etienne, geo.firminy],
            fragilities=[codes[2]])  # fmt: skip
    example("Sans territoire", impact="confiance")
    example("Brouillon caché", status=ExampleStatus.DRAFT, fragilities=codes)
    return codes


def test_counts_add_up(geo) -> None:
    build(geo)
    everything = search_examples(ExampleSearch())
    assert everything.total == 4
    for name, values in everything.facets.items():
        for value in values:
            narrowed = search_examples(ExampleSearch(filters={name: value.value}))
            assert narrowed.total == value.count, (name, value)
    # Single-valued: every example counted once.
    assert sum(v.count for v in everything.facets["impact"]) == everything.total
    assert {v.value: v.count for v in everything.facets["impact"]}[NONE] == 1
    # Within a filter, the counts of another still match their own narrowing.
    within = search_examples(ExampleSearch(filters={"region": "84"}))
    for value in within.facets["taille"]:
        both = search_examples(ExampleSearch(filters={"region": "84", "taille": value.value}))
        assert both.total == value.count


def test_french_full_text_search_without_accents(geo) -> None:
    build(geo)
    for query, title in [
        ("mobilite", "Mobilité rurale partagée"),
        ("covoiturage village", "Mobilité rurale partagée"),
        ("numériques", "Tiers-lieu numérique"),
        ("SANTE", "Santé de proximité"),
    ]:
        found = search_examples(ExampleSearch(text=query))
        assert [e.title for e in found.page.object_list] == [title], query
    assert search_examples(ExampleSearch(text="caché")).total == 0  # a draft


def test_list_page_and_fragment(geo, htmx, django_assert_num_queries) -> None:
    build(geo)
    page = ok(Client().get(LIST, {"q": "mobilité"})).content.decode()
    assert "Mobilité rurale partagée" in page and "Tiers-lieu" not in page
    with django_assert_num_queries(15):
        response = ok(Client().get(LIST, headers=htmx))
    # Its search form is submitted as a whole (no swap): an HTMX request gets the whole page.
    assert b"<html" in response.content
    for index in range(10):
        example(f"Encore un exemple {index}", territories=[geo.firminy], impact="innovation")
    with django_assert_num_queries(15):
        ok(Client().get(LIST, headers=htmx))


def test_bad_filters_answer_a_page_not_a_500(geo) -> None:
    build(geo)
    ok(Client().get(LIST, {"pratique": "pas-une-cle", "q": "&|!(", "page": "zzz"}))


def test_territory_page_part_same_size_first(geo, nadia) -> None:
    codes = build(geo)
    fragility = Fragility.objects.get(code=codes[1])
    fragility_record(
        territory=geo.small_commune, fragility=fragility, level=3, source="diagnostic",
        note="", user=nadia, diagnosis_author="Mairie", diagnosis_date=datetime.date(2026, 1, 15),
    )  # fmt: skip
    url = reverse("pratiques:territory_examples", args=["commune", geo.small_commune.code])
    page = ok(Client().get(url)).content.decode()
    assert page.index("Mobilité rurale partagée") < page.index("Tiers-lieu numérique")
    empty = reverse("pratiques:territory_examples", args=["commune", geo.vincennes.code])
    assert "Aucun exemple publié" in ok(Client().get(empty)).content.decode()
