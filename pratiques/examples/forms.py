"""Forms of the examples: write one, filter the base, import a file."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone

from pratiques.directory.forms import TerritoryListForm, practice_choices, set_choices
from pratiques.examples.services import ExampleData
from pratiques.models import Example, Impact
from territoires.forms import TerritoryField, territory_choice_label
from territoires.models import ActorProfile, Fragility, Level, SizeSegment, Territory

MAX_TERRITORIES = 30


def _codes(model: Any) -> list[tuple[str, str]]:
    return list(model.objects.order_by("order", "label").values_list("code", "label"))


class ExampleForm(TerritoryListForm):
    max_territories = MAX_TERRITORIES

    title = forms.CharField(label="Titre", max_length=250)
    summary = forms.CharField(
        label="Résumé", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label="Récit",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Paragraphes séparés par une ligne vide ; une ligne commençant par « - » fait "
        "une liste ; **gras**, *italique* ; les adresses web deviennent des liens.",
    )
    territories = forms.CharField(
        label="Territoires concernés",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Un territoire par ligne, choisi avec le champ ci-dessous ou écrit « commune:94080 ».",
    )
    add_territory = TerritoryField(label="Ajouter un territoire", required=False)
    actor_profiles = forms.MultipleChoiceField(
        label="Profils d'acteurs impliqués", required=False, widget=forms.CheckboxSelectMultiple
    )
    fragilities = forms.MultipleChoiceField(
        label="Fragilités auxquelles il répond", required=False, widget=forms.CheckboxSelectMultiple
    )
    practices = forms.MultipleChoiceField(
        label="Pratiques qu'il illustre",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    impact = forms.ChoiceField(
        label="Horizon de son impact",
        required=False,
        choices=[("", "non précisé"), *Impact.choices],
    )
    year = forms.IntegerField(label="Année", required=False, min_value=1950)
    source = forms.CharField(label="Source", max_length=300, required=False)
    source_url = forms.URLField(label="Lien de la source", max_length=500, required=False)
    licence = forms.CharField(label="Licence", max_length=120, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["actor_profiles"], _codes(ActorProfile))
        set_choices(self.fields["fragilities"], _codes(Fragility))
        set_choices(self.fields["practices"], practice_choices())

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year is not None and year > timezone.now().year:
            raise forms.ValidationError("L'année ne peut pas être à venir.")
        return year

    def example_data(self) -> ExampleData:
        data = self.cleaned_data
        return ExampleData(
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
            territories=data["territories"],
            actor_profiles=data["actor_profiles"],
            fragilities=data["fragilities"],
            practices=[uuid.UUID(key) for key in data["practices"]],
            impact=data["impact"],
            year=data["year"],
            source=data["source"],
            source_url=data["source_url"],
            licence=data["licence"],
        )


def example_initial(example: Example) -> dict[str, Any]:
    return {
        "title": example.title,
        "summary": example.summary,
        "body": example.body,
        "territories": "\n".join(territory_choice_label(t) for t in example.territories.all()),
        "actor_profiles": example.actor_profiles,
        "fragilities": example.fragilities,
        "practices": [str(k) for k in example.practices],
        "impact": example.impact,
        "year": example.year,
        "source": example.source,
        "source_url": example.source_url,
        "licence": example.licence,
    }


def facet_labels() -> dict[str, dict[str, str]]:
    """The label of each value of each filter (4 queries)."""
    return {
        "fragilite": dict(_codes(Fragility)),
        "pratique": dict(practice_choices()),
        "profil": dict(_codes(ActorProfile)),
        "taille": dict(SizeSegment.objects.values_list("code", "label")),
        "region": dict(Territory.objects.filter(level=Level.REGION).values_list("code", "name")),
        "impact": {k: str(v) for k, v in Impact.choices},
    }


class ImportForm(forms.Form):
    file = forms.FileField(label="Fichier CSV ou XLSX")
    status = forms.ChoiceField(
        label="Statut des exemples importés",
        choices=[("propose", "proposé (à relire)"), ("publie", "publié")],
        initial="propose",
    )
