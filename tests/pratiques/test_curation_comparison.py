"""Comparison of two grid versions, on the real 2023 and 2024 data."""

from __future__ import annotations

import pytest

from pratiques.curation.queries import version_comparison
from pratiques.curation.services import (
    element_add,
    element_remove,
    element_update,
    lineage_record,
)
from pratiques.models import (
    Axis,
    ElementType,
    GridVersion,
    LineageKind,
    Practice,
    Situation,
)
from tests.pratiques.curation_helpers import copy_current

pytestmark = pytest.mark.django_db


def test_2023_to_2024_shows_the_published_changes(django_assert_max_num_queries) -> None:
    old, new = GridVersion.objects.get(slug="2023"), GridVersion.objects.get(slug="2024")
    with django_assert_max_num_queries(8):
        comparison = version_comparison(old, new)

    renamed_axes = comparison.renamed(ElementType.AXIS)
    assert [c.new.code for c in renamed_axes] == ["3"]
    assert renamed_axes[0].diffs[0].html == "Stratégie<ins> partenariale</ins> et projection"

    reworded = {c.new.code: c for c in comparison.renamed(ElementType.SITUATION)}
    assert sorted(reworded) == ["2", "4", "6", "7"]
    assert reworded["2"].diffs[0].label == "précision"
    assert "<del>de</del><ins>De</ins>" in reworded["2"].diffs[0].html
    assert reworded["4"].diffs[0].label == "intitulé"
    assert "<del>active </del>" in reworded["4"].diffs[0].html
    diff = reworded["6"].diffs[0].html  # two changed places: old line, then new line
    assert "<del>internes</del>" in diff and "<ins>interne</ins>" in diff
    assert "<del>la</del><ins>une</ins>" in reworded["7"].diffs[0].html

    assert len(comparison.of(ElementType.PRACTICE, "added")) == 24
    assert comparison.of(ElementType.PRACTICE, "removed") == []
    assert comparison.of(ElementType.SITUATION, "added") == []
    assert comparison.moved(ElementType.SITUATION) == []
    assert comparison.unchanged[ElementType.SITUATION] == 4
    assert comparison.unchanged[ElementType.AXIS] == 2


def test_identical_versions_have_no_change(nadia) -> None:
    draft = copy_current(nadia)
    comparison = version_comparison(GridVersion.objects.get(slug="2024"), draft)
    assert comparison.is_empty
    assert comparison.unchanged[ElementType.PRACTICE] == 24


def test_renamed_added_removed_moved_and_lineage(nadia) -> None:
    current = GridVersion.objects.get(slug="2024")
    draft = copy_current(nadia)
    practice = Practice.objects.get(version=draft, code="1.1")
    element_update(actor=nadia, element=practice, changes={"label": "Financer les projets locaux"})
    s3 = Situation.objects.get(version=draft, code="3")
    element_update(
        actor=nadia, element=s3, changes={"axis": Axis.objects.get(version=draft, code="2")}
    )
    old_practice = Practice.objects.get(version=draft, code="1.2")
    a = element_add(
        actor=nadia,
        version=draft,
        kind=ElementType.PRACTICE,
        fields={"situation": old_practice.situation, "label": "Financer mon poste"},
    )
    b = element_add(
        actor=nadia,
        version=draft,
        kind=ElementType.PRACTICE,
        fields={"situation": old_practice.situation, "label": "Financer mon équipe"},
    )
    lineage_record(
        actor=nadia,
        version=draft,
        element_type=ElementType.PRACTICE,
        kind=LineageKind.SPLIT,
        old_keys=[old_practice.key],
        new_keys=[a.key, b.key],
    )
    element_remove(actor=nadia, element=old_practice)

    comparison = version_comparison(current, draft)
    renamed = comparison.renamed(ElementType.PRACTICE)
    assert [c.new.label for c in renamed] == ["Financer les projets locaux"]
    added = comparison.of(ElementType.PRACTICE, "added")
    assert {c.new.label for c in added} == {"Financer mon poste", "Financer mon équipe"}
    assert all(c.lineage == ["issue de la scission de 1.2"] for c in added)
    removed = comparison.of(ElementType.PRACTICE, "removed")
    assert [c.old.label for c in removed] == ["Financer l'ingénierie que je porte"]
    moved = comparison.moved(ElementType.SITUATION)
    assert [(c.moved_from, c.moved_to) for c in moved] == [("3 (axe 1)", "6 (axe 2)")]
