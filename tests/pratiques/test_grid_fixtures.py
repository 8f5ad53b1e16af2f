from __future__ import annotations

import pytest

from pratiques.models import Axis, GridStatus, GridVersion, Practice, ScaleStep, Situation

pytestmark = pytest.mark.django_db


def test_both_versions_are_loaded() -> None:
    current = GridVersion.objects.get(status=GridStatus.PUBLISHED)
    assert current.label == "2024"
    assert GridVersion.objects.get(slug="2023").status == GridStatus.ARCHIVED
    assert Axis.objects.filter(version=current).count() == 3
    assert Situation.objects.filter(version=current).count() == 8
    assert Practice.objects.filter(version=current).count() == 24
    assert Practice.objects.filter(version__slug="2023").count() == 0
    assert Situation.objects.filter(version__slug="2023").count() == 8


def test_texts_are_exact() -> None:
    s2 = Situation.objects.get(version__slug="2024", code="2")
    assert (s2.title, s2.scope_note) == ("Contractualiser", "De la négociation à l'évaluation")
    s5 = Situation.objects.get(version__slug="2024", code="5")
    assert s5.scope_note == "Entre pairs, entre « mondes », entre tous"
    assert Axis.objects.get(version__slug="2023", code="3").title == "Stratégie et projection"
    assert (
        Axis.objects.get(version__slug="2024", code="3").title
        == "Stratégie partenariale et projection"
    )
    assert Practice.objects.get(version__slug="2024", code="4.1").label == "Écouter son équipe"


def test_situations_and_axes_keep_their_keys_across_versions() -> None:
    keys = {
        v: set(Situation.objects.filter(version__slug=v).values_list("key", flat=True))
        for v in ("2023", "2024")
    }
    assert keys["2023"] == keys["2024"]
    s7 = {s.version.slug: s for s in Situation.objects.filter(code="7").select_related("version")}
    assert s7["2023"].key == s7["2024"].key
    assert s7["2023"].title != s7["2024"].title


def test_scales_have_a_description_for_every_step() -> None:
    steps = ScaleStep.objects.filter(version__slug="2024")
    assert steps.filter(scale="frequency").count() == 4
    assert steps.filter(scale="involvement").count() == 4
    assert steps.filter(scale="carrying").count() == 3
    assert all(step.description for step in steps)
    assert steps.get(scale="frequency", value=0).label == "Jamais"
    assert steps.get(scale="frequency", value=3).label == "Au quotidien"
