"""The one spelling of a yes/no POST: « oui » or « non », anything else refused."""

from __future__ import annotations

from config.forms import YesNoForm


def test_oui_and_non() -> None:
    form = YesNoForm({"suivre": "oui"}, field="suivre")
    assert form.is_valid() and form.answer is True
    form = YesNoForm({"suivre": "non"}, field="suivre")
    assert form.is_valid() and form.answer is False


def test_a_button_without_value_takes_the_default() -> None:
    form = YesNoForm({}, field="archive", default=True)
    assert form.is_valid() and form.answer is True


def test_a_confirmation_is_required_and_other_values_refused() -> None:
    unticked = YesNoForm({}, field="confirm", required_message="Cochez la case.")
    assert not unticked.confirmed() and unticked.error_text == "Cochez la case."
    no = YesNoForm({"confirm": "non"}, field="confirm", required_message="Cochez la case.")
    assert not no.confirmed() and no.error_text == "Cochez la case."
    odd = YesNoForm({"confirm": "1"}, field="confirm")
    assert not odd.is_valid() and "« oui » ou « non »" in odd.error_text
    assert YesNoForm({"confirm": "oui"}, field="confirm").confirmed()
