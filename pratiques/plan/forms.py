"""Forms of the development plan: one item (prefixed ``i<id>``), adding a practice, the settings."""

from __future__ import annotations

from typing import Any

from django import forms

from pratiques.models import DevelopmentWay, PlanItem, PlanStatus, Resource
from pratiques.plan.services import ItemData


def _choices(labels: dict[int, str]) -> list[tuple[str, str]]:
    return [("", "— non précisé —"), *((str(v), label) for v, label in labels.items())]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlanItemForm(forms.Form):
    way = forms.TypedChoiceField(
        label="Comment la développer",
        choices=[("", "— non précisé —"), *DevelopmentWay.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    target_frequency = forms.TypedChoiceField(
        label="Fréquence visée", coerce=int, empty_value=None, required=False
    )
    target_involvement = forms.TypedChoiceField(
        label="Implication visée", coerce=int, empty_value=None, required=False
    )
    resources = forms.TypedMultipleChoiceField(
        label="Ressources choisies",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    links = forms.CharField(
        label="Autres liens (un par ligne)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=6000,
    )
    partner = forms.CharField(label="Partenaire", required=False, max_length=200)
    starts_on = forms.DateField(
        label="Début", required=False, widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    due_on = forms.DateField(
        label="Échéance",
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    status = forms.ChoiceField(label="Statut", choices=PlanStatus.choices)
    note = forms.CharField(
        label="Note (pour vous seul·e)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(
        self,
        *args: Any,
        item: PlanItem,
        labels: dict[str, dict[int, str]],
        attached: list[Resource],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", f"i{item.pk}")
        if not args and "data" not in kwargs:
            kwargs["initial"] = {
                "way": item.way,
                "target_frequency": item.target_frequency,
                "target_involvement": item.target_involvement,
                "resources": [r.pk for r in item.resources.all()],
                "links": item.links,
                "partner": item.partner,
                "starts_on": item.starts_on,
                "due_on": item.due_on,
                "status": item.status,
                "note": item.note,
            }
        super().__init__(*args, **kwargs)
        self.item = item
        fields: Any = self.fields
        fields["target_frequency"].choices = _choices(labels.get("frequency", {}))
        fields["target_involvement"].choices = _choices(labels.get("involvement", {}))
        fields["resources"].choices = [(r.pk, r.title) for r in attached]
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"i{item.pk}-{name}")

    def data_for_service(self) -> ItemData:
        data = self.cleaned_data
        return ItemData(
            way=data["way"],
            target_frequency=data["target_frequency"],
            target_involvement=data["target_involvement"],
            resource_ids=list(data["resources"]),
            links=data["links"],
            partner=data["partner"],
            starts_on=data["starts_on"],
            due_on=data["due_on"],
            status=data["status"],
            note=data["note"],
        )


class AddPracticeForm(forms.Form):
    practice = forms.TypedChoiceField(label="Ajouter une pratique à mon plan", coerce=int)

    def __init__(self, *args: Any, practices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["practice"].choices = [("", "— choisir une pratique —")] + [
            (p.pk, f"{p.code} {p.label}") for p in practices
        ]


class PlanSettingsForm(forms.Form):
    shared_with = forms.TypedChoiceField(
        label="Partager mon plan avec",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choisissez une de vos organisations."},
    )
    reminders = forms.BooleanField(
        label="M'envoyer un courriel une semaine avant chaque échéance, et le lendemain d'une "
        "échéance manquée",
        required=False,
    )

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["shared_with"].choices = [("", "personne (plan privé)")] + [
            (o.pk, f"mon organisation « {o.name} »") for o in organisations
        ]
