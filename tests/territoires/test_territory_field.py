from __future__ import annotations

import pytest
from django import forms

from territoires.forms import TerritoryField, territory_choice_label


class PickForm(forms.Form):
    territoire = TerritoryField(label="Territoire d'action")


@pytest.mark.django_db
def test_it_reads_a_picked_option(geo) -> None:
    form = PickForm({"territoire": territory_choice_label(geo.vincennes)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["territoire"] == geo.vincennes


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["commune:42218", "42218", "saint etienne", "St-Étienne"])
def test_it_reads_what_a_person_types(geo, typed: str) -> None:
    form = PickForm({"territoire": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["territoire"] == geo.saint_etienne


@pytest.mark.django_db
def test_it_explains_an_unknown_territory_in_french(geo) -> None:
    form = PickForm({"territoire": "Atlantide"})
    assert not form.is_valid()
    assert "Aucun territoire ne correspond à « Atlantide »" in form.errors["territoire"][0]


@pytest.mark.django_db
def test_search_options_fragment(geo, client) -> None:
    html = client.get("/territoires/recherche/options/", {"territoire": "vinc"}).content.decode()
    assert "<html" not in html
    assert "Vincennes (94) — Commune, code 94080" in html
    assert "[commune:" not in html  # no internal token shown to a person


@pytest.mark.django_db
def test_the_label_says_the_departement_and_reads_back(geo) -> None:
    label = territory_choice_label(geo.vincennes)
    assert label == "Vincennes (94) — Commune, code 94080"
    assert PickForm({"territoire": label}).is_valid()


@pytest.mark.django_db
def test_the_earlier_label_still_reads(geo) -> None:
    form = PickForm({"territoire": "Vincennes — Commune [commune:94080]"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["territoire"] == geo.vincennes


@pytest.mark.django_db
def test_a_level_label_that_does_not_exist_is_not_guessed(geo) -> None:
    form = PickForm({"territoire": "Vincennes — Planète, code 94080"})
    assert not form.is_valid()


@pytest.mark.django_db
def test_the_value_typed_is_kept_after_an_error(geo) -> None:
    form = PickForm({"territoire": "Atlantide"})
    assert not form.is_valid()
    assert 'value="Atlantide"' in str(form["territoire"])
