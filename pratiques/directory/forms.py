"""Forms of the directory: a person's profile (with consent), a message, the search."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms

from pratiques.directory.queries import published_practices
from pratiques.directory.services import MAX_TERRITORIES, ProfileData
from pratiques.models import Visibility
from pratiques.models.directory import CONSENT_TEXT
from territoires.forms import TerritoryField, territory_choice_label
from territoires.models import ActorProfile, Engineering, Territory


def set_choices(field: forms.Field, choices: list[tuple[str, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def practice_choices() -> list[tuple[str, str]]:
    return [(str(p.key), f"{p.code} {p.label}") for p in published_practices()]


class TerritoryListForm(forms.Form):
    """A ``territories`` text field, one territory per line, plus an ``add_territory`` picker:
    both cleaned to one list without duplicates (the directory profile, the example)."""

    max_territories = MAX_TERRITORIES

    def clean_territories(self) -> list[Territory]:
        field = TerritoryField()
        found: list[Territory] = []
        for line in (self.cleaned_data.get("territories") or "").splitlines():
            if line.strip():
                territory = field.clean(line)
                if territory is not None and territory not in found:
                    found.append(territory)
        if len(found) > self.max_territories:
            raise forms.ValidationError(f"Au plus {self.max_territories} territoires.")
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        extra = data.get("add_territory")
        territories = data.get("territories")
        if extra is not None and territories is not None and extra not in territories:
            territories.append(extra)
        return data


class ProfileForm(TerritoryListForm):
    shown_name = forms.CharField(label="Nom affiché", max_length=120)
    structure = forms.CharField(label="Structure", max_length=200, required=False)
    actor_profile = forms.ModelChoiceField(
        label="Profil d'acteur", queryset=ActorProfile.objects.all(), required=False
    )
    engineerings = forms.ModelMultipleChoiceField(
        label="Ingénieries",
        queryset=Engineering.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    territories = forms.CharField(
        label="Territoires où j'agis",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Un territoire par ligne (commune, intercommunalité, département, région ou "
        "territoire de projet), choisi avec le champ ci-dessous ou écrit « commune:94080 ».",
    )
    add_territory = TerritoryField(label="Ajouter un territoire", required=False)
    shares = forms.MultipleChoiceField(
        label="Pratiques que je peux partager",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    seeks = forms.MultipleChoiceField(
        label="Pratiques que je cherche",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    presentation = forms.CharField(
        label="Présentation",
        max_length=1200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    visibility = forms.ChoiceField(
        label="Qui voit ma fiche", choices=Visibility.choices, initial=Visibility.MEMBERS
    )
    consent = forms.BooleanField(label=CONSENT_TEXT, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = practice_choices()
        set_choices(self.fields["shares"], choices)
        set_choices(self.fields["seeks"], choices)

    def profile_data(self) -> ProfileData:
        data = self.cleaned_data
        return ProfileData(
            shown_name=data["shown_name"],
            structure=data["structure"],
            actor_profile=data["actor_profile"],
            engineerings=list(data["engineerings"]),
            territories=data["territories"],
            shares=[uuid.UUID(key) for key in data["shares"]],
            seeks=[uuid.UUID(key) for key in data["seeks"]],
            presentation=data["presentation"],
            visibility=data["visibility"],
        )


def profile_initial(profile: Any) -> dict[str, Any]:
    return {
        "shown_name": profile.shown_name,
        "structure": profile.structure,
        "actor_profile": profile.actor_profile,
        "engineerings": list(profile.engineerings.all()),
        "territories": "\n".join(territory_choice_label(t) for t in profile.territories.all()),
        "shares": [str(key) for key in profile.shares],
        "seeks": [str(key) for key in profile.seeks],
        "presentation": profile.presentation,
        "visibility": profile.visibility,
    }


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Votre message", max_length=3000, widget=forms.Textarea(attrs={"rows": 6})
    )


class SearchForm(forms.Form):
    territoire = TerritoryField(label="Territoire", required=False)
    pratique = forms.ChoiceField(label="Pratique", required=False)
    profil = forms.ChoiceField(label="Profil d'acteur", required=False)
    ingenierie = forms.ChoiceField(label="Ingénierie", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["pratique"], [("", "Toutes"), *practice_choices()])
        set_choices(
            self.fields["profil"],
            [
                ("", "Tous"),
                *ActorProfile.objects.values_list("code", "label"),
            ],
        )
        set_choices(
            self.fields["ingenierie"],
            [
                ("", "Toutes"),
                *Engineering.objects.values_list("code", "label"),
            ],
        )
