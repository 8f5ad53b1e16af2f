"""Small forms every app uses: a yes/no answer posted by a button or a confirmation box."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

YES, NO = "oui", "non"


class YesNoForm(forms.Form):
    """One posted field, « oui » or « non », the one spelling of a yes/no POST.

    ``default``: the answer when the field is absent (a button that means « yes » by itself);
    without it the field is required (a confirmation box left unticked is an error). Any other
    value is an error, never a silent « yes ».
    """

    def __init__(
        self,
        data: QueryDict | dict[str, Any] | None,
        *,
        field: str,
        default: bool | None = None,
        required_message: str = "Cochez la case de confirmation.",
    ) -> None:
        super().__init__(data)
        self.field_name = field
        self.required_message = required_message
        self.default = default
        self.fields[field] = forms.TypedChoiceField(
            choices=[(YES, "Oui"), (NO, "Non")],
            coerce=lambda value: value == YES,
            required=default is None,
            empty_value=None,
            error_messages={
                "required": required_message,
                "invalid_choice": "Réponse attendue : « oui » ou « non ».",
            },
        )

    @property
    def answer(self) -> bool:
        """The answer, once the form is valid."""
        value = self.cleaned_data[self.field_name]
        return bool(self.default if value is None else value)

    def confirmed(self) -> bool:
        """A confirmation box ticked (« oui »)."""
        return self.is_valid() and self.answer

    @property
    def error_text(self) -> str:
        """What is wrong, in French (a « non » to a confirmation: the required message)."""
        texts = [str(error) for errors in self.errors.values() for error in errors]
        return " ".join(texts) or self.required_message
