"""territoires.services writes the reference lists and returns each row as it was and as saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from territoires.models import Fragility, FragilityCriterion, MaturityProfile, SizeSegment
from territoires.services import reference_item_update, size_segment_update

pytestmark = pytest.mark.django_db


def test_reference_item_update_strips_saves_and_returns_before_after() -> None:
    profile = MaturityProfile.objects.get(rank=1)
    change = reference_item_update(item=profile, changes={"label": "  Émergence  "})
    assert change.before.label == "Profil 1 sur 4"
    assert change.after.label == "Émergence"
    assert MaturityProfile.objects.get(rank=1).label == "Émergence"


def test_reference_item_update_regroups_a_fragility() -> None:
    fragility = Fragility.objects.order_by("order").last()
    criterion = FragilityCriterion.objects.get(code="economiques")
    change = reference_item_update(item=fragility, changes={"criterion": criterion})
    assert change.after.criterion_id == criterion.pk
    assert Fragility.objects.get(pk=fragility.pk).criterion == criterion


def test_reference_item_update_refuses_an_empty_label_and_keeps_the_row() -> None:
    profile = MaturityProfile.objects.get(rank=1)
    with pytest.raises(ValidationError):
        reference_item_update(item=profile, changes={"label": " "})
    assert MaturityProfile.objects.get(rank=1).label == "Profil 1 sur 4"


def test_size_segment_update_moves_the_next_lower_threshold() -> None:
    small = SizeSegment.objects.get(code="moins-de-2000")
    changes = size_segment_update(
        segment=small,
        label="moins de 3 500 habitants",
        max_population=3500,
        priority_lever=small.priority_lever,
        lever_description=small.lever_description,
    )
    assert [c.after.code for c in changes] == ["moins-de-2000", "moins-de-20000"]
    assert (changes[0].before.max_population, changes[0].after.max_population) == (2000, 3500)
    assert (changes[1].before.min_population, changes[1].after.min_population) == (2000, 3500)
    assert SizeSegment.objects.get(code="moins-de-20000").min_population == 3500


def test_size_segment_update_refuses_in_french_and_changes_nothing() -> None:
    small = SizeSegment.objects.get(code="moins-de-2000")
    with pytest.raises(ValidationError) as refused:
        size_segment_update(
            segment=small,
            label="x",
            max_population=30000,
            priority_lever="x",
            lever_description="",
        )
    assert refused.value.message_dict["max_population"] == [
        "La borne doit rester sous celle du segment suivant (20 000 habitants)."
    ]
    small.refresh_from_db()
    assert (small.label, small.max_population) == ("moins de 2 000 habitants", 2000)
