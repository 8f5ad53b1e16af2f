from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from territoires.models import Territory
from territoires.queries import search_territories, territory_from_key


class TerritoryInput(forms.TextInput):
    """A text box with HTMX type-ahead suggestions in a <datalist> (works without JavaScript)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "autocomplete": "off",
            "hx-get": reverse_lazy("territoires:search_options"),
            "hx-trigger": "input changed delay:200ms",
            "hx-sync": "this:replace",
            "placeholder": _("Nom, code postal ou code INSEE"),
        }
        super().__init__({**base, **(attrs or {})})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        datalist_id = f"{widget_attrs.get('id', name)}_suggestions"
        widget_attrs["list"] = datalist_id
        widget_attrs["hx-target"] = f"#{datalist_id}"
        widget_attrs["name"] = name
        context["widget"]["datalist_id"] = datalist_id
        return context

    template_name = "territoires/widgets/territory_input.html"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Territory):
            return territory_choice_label(value)
        if isinstance(value, int):
            territory = Territory.objects.filter(pk=value).first()
            return territory_choice_label(territory) if territory else None
        return super().format_value(value)


def territory_choice_label(territory: Territory) -> str:
    """The text a person picks in the list; it ends with the key the form reads back."""
    return (
        f"{territory.name} — {territory.get_level_display()} [{territory.level}:{territory.code}]"
    )


class TerritoryField(forms.Field):
    """Cleans a typed or picked territory to a ``Territory``.

    Accepts « Vincennes — Commune [commune:94080] », « commune:94080 », an INSEE/SIREN code,
    or a name that matches exactly one territory.
    """

    widget = TerritoryInput
    default_error_messages = {
        "unknown": _(
            "Aucun territoire ne correspond à « %(value)s ». Choisissez-en un dans la liste proposée."
        ),
        "ambiguous": _(
            "Plusieurs territoires correspondent à « %(value)s » : choisissez-en un dans la liste proposée."
        ),
    }

    def to_python(self, value: Any) -> Territory | None:
        if isinstance(value, Territory):
            return value
        text = (value or "").strip()
        if not text:
            return None
        if text.endswith("]") and "[" in text:
            text_key = text[text.rindex("[") + 1 : -1]
            territory = territory_from_key(text_key)
            if territory:
                return territory
        if ":" in text:
            territory = territory_from_key(text)
            if territory:
                return territory
        matches = search_territories(text, limit=2)
        if len(matches) == 1 or (
            matches and matches[0].rank == 0 and (len(matches) == 1 or matches[1].rank > 0)
        ):
            return matches[0]
        if not matches:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text[:80]}
            )
        raise forms.ValidationError(
            self.error_messages["ambiguous"], code="ambiguous", params={"value": text[:80]}
        )
