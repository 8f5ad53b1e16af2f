from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db import models
from django.urls import reverse_lazy

from territoires.models import (
    MATURITY_DIMENSIONS,
    ActorProfile,
    Fragility,
    FragilityCriterion,
    FragilityLevel,
    FragilitySource,
    Level,
    MaturityProfile,
    MaturityScore,
    SizeSegment,
    Territory,
)
from territoires.queries import search_territories, territory_from_key
from territoires.registry import indicator_catalogue


class TerritoryInput(forms.TextInput):
    """A text box with HTMX type-ahead suggestions in a <datalist> (works without JavaScript)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "autocomplete": "off",
            "hx-get": reverse_lazy("territoires:search_options"),
            "hx-trigger": "input changed delay:200ms",
            "hx-sync": "this:replace",
            # Explicit: a surrounding form's hx-swap (e.g. outerHTML) must not be inherited.
            "hx-swap": "innerHTML",
            "placeholder": "Nom, code postal ou code INSEE",
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
    """The text a person picks in the list: the name, the département of a commune (homonyms are
    many: four « Saint-Denis »), the level and the official code, which the form reads back."""
    name = territory.name
    departement = territory.departement if territory.departement_id else None
    if territory.level in (Level.COMMUNE, Level.ARRONDISSEMENT) and departement:
        name = f"{name} ({departement.code})"
    return f"{name} — {territory.get_level_display()}, code {territory.code}"


LEVEL_BY_LABEL = {str(label): value for value, label in Level.choices}
CHOICE_LABEL = re.compile(r" — (?P<level>[^—]+), code (?P<code>\S+)$")


def territory_from_choice_label(text: str) -> Territory | None:
    """« Saint-Denis (93) — Commune, code 93066 » → that commune (or None)."""
    match = CHOICE_LABEL.search(text)
    level = LEVEL_BY_LABEL.get(match["level"]) if match else None
    if not match or not level:
        return None
    return Territory.objects.filter(level=level, code=match["code"]).first()


class TerritoryField(forms.Field):
    """Cleans a typed or picked territory to a ``Territory``.

    Accepts « Vincennes (94) — Commune, code 94080 », « commune:94080 », an INSEE/SIREN code,
    or a name that matches exactly one territory.
    """

    widget = TerritoryInput
    default_error_messages = {
        "unknown": (
            "Aucun territoire ne correspond à « %(value)s ». Choisissez-en un dans la liste proposée."
        ),
        "ambiguous": (
            "Plusieurs territoires correspondent à « %(value)s » : choisissez-en un dans la liste proposée."
        ),
    }

    def to_python(self, value: Any) -> Territory | None:
        if isinstance(value, Territory):
            return value
        text = (value or "").strip()
        if not text:
            return None
        territory = territory_from_choice_label(text)
        if territory:
            return territory
        # The earlier label, « Vincennes — Commune [commune:94080] », still in bookmarks and forms.
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
            return matches[0].territory
        if not matches:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text[:80]}
            )
        raise forms.ValidationError(
            self.error_messages["ambiguous"], code="ambiguous", params={"value": text[:80]}
        )


NO_MEMBER_MESSAGE = (
    "Un territoire de projet doit compter au moins une intercommunalité ou une commune."
)


def _check_member_level(territory: Territory | None) -> Territory | None:
    if territory is not None and territory.level not in (Level.EPCI, Level.COMMUNE):
        raise forms.ValidationError(
            (
                "« %(name)s » est un(e) %(level)s : un territoire de projet réunit des "
                "intercommunalités (EPCI) et/ou des communes."
            ),
            params={"name": territory.name, "level": territory.get_level_display().lower()},
        )
    return territory


class ProjectCreateForm(forms.Form):
    name = forms.CharField(
        label="Nom du territoire de projet",
        max_length=200,
        help_text="Par exemple « PETR du Pays de … » ou « Pays de … ».",
    )
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    member = TerritoryField(
        label="Premier membre (intercommunalité ou commune)",
        error_messages={"required": NO_MEMBER_MESSAGE},
        help_text="Vous ajouterez les autres membres à l'étape suivante.",
    )

    def clean_member(self) -> Territory | None:
        return _check_member_level(self.cleaned_data.get("member"))


class ProjectUpdateForm(forms.Form):
    name = forms.CharField(label="Nom du territoire de projet", max_length=200)
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ProjectMemberForm(forms.Form):
    member = TerritoryField(
        label="Ajouter une intercommunalité ou une commune",
        error_messages={"required": "Saisissez le nom ou le code d'un EPCI ou d'une commune."},
    )

    def clean_member(self) -> Territory | None:
        return _check_member_level(self.cleaned_data.get("member"))


class MaturityAssessmentForm(forms.Form):
    ecosystem_score = forms.TypedChoiceField(
        label=MATURITY_DIMENSIONS[0][1],
        choices=MaturityScore.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une note de 1 à 4."},
    )
    pivot_score = forms.TypedChoiceField(
        label=MATURITY_DIMENSIONS[1][1],
        choices=MaturityScore.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une note de 1 à 4."},
    )
    skills_score = forms.TypedChoiceField(
        label=MATURITY_DIMENSIONS[2][1],
        choices=MaturityScore.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une note de 1 à 4."},
    )
    rationale = forms.CharField(
        label="Pourquoi ? (éléments qui fondent l'évaluation)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Dites pourquoi : l'historique doit rester explicable."},
    )


def indicator_choices() -> list[tuple[str, Any]]:
    """The catalogue's indicators grouped by fragility domain (empty without a catalogue)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for choice in indicator_catalogue() or []:
        groups.setdefault(choice.fragility_label or "Sans domaine", []).append(
            (choice.code, f"{choice.label} ({choice.code})")
        )
    return [("", "— choisir un indicateur —"), *groups.items()]


class FragilityReadingForm(forms.Form):
    fragility = forms.ModelChoiceField(
        label="Domaine",
        queryset=Fragility.objects.order_by("order", "label"),
        empty_label="— choisir un des 16 domaines —",
        error_messages={"required": "Choisissez un des 16 domaines."},
    )
    level = forms.TypedChoiceField(
        label="Niveau de fragilité",
        choices=FragilityLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez un niveau de 0 à 3."},
    )
    source = forms.ChoiceField(
        label="Source",
        choices=FragilitySource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez la source : indicateur ou diagnostic local."},
    )
    indicator_code = forms.ChoiceField(
        label="Indicateur de l'observatoire",
        choices=lambda: indicator_choices(),
        required=False,
        help_text="Si la source est un indicateur : un indicateur du catalogue.",
        error_messages={
            "invalid_choice": (
                "« %(value)s » n'est pas un indicateur du catalogue de l'observatoire : "
                "choisissez-en un dans la liste."
            )
        },
    )
    diagnosis_author = forms.CharField(
        label="Auteur du diagnostic local",
        max_length=200,
        required=False,
        help_text="Si la source est un diagnostic local.",
    )
    diagnosis_date = forms.DateField(
        label="Date du diagnostic",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("source") == FragilitySource.INDICATOR and not data.get("indicator_code"):
            self.add_error(
                "indicator_code", "Choisissez un indicateur du catalogue de l'observatoire."
            )
        if data.get("source") == FragilitySource.DIAGNOSIS:
            if not data.get("diagnosis_author"):
                self.add_error("diagnosis_author", "Indiquez l'auteur du diagnostic local.")
            if not data.get("diagnosis_date"):
                self.add_error("diagnosis_date", "Indiquez la date du diagnostic local.")
        return data


class MandateForm(forms.Form):
    """An official declares a territory they represent."""

    territory = TerritoryField(
        label="Territoire représenté",
        help_text=(
            "Commune, intercommunalité (EPCI), département, région ou territoire de projet."
        ),
    )
    role_label = forms.CharField(
        label="Fonction",
        max_length=120,
        required=False,
        help_text="ex. maire, conseillère départementale, vice-président à l'aménagement",
    )


# --- reference lists (edited by the network admins from the curation pages) ------------------


class MaturityProfileForm(forms.ModelForm):
    class Meta:
        model = MaturityProfile
        fields = ["label", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class FragilityCriterionForm(forms.ModelForm):
    class Meta:
        model = FragilityCriterion
        fields = ["label", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class FragilityForm(forms.ModelForm):
    class Meta:
        model = Fragility
        fields = ["criterion", "criterion_note"]


class ActorProfileForm(forms.ModelForm):
    class Meta:
        model = ActorProfile
        fields = ["label", "description", "has_repere_sheet"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class SizeSegmentForm(forms.ModelForm):
    class Meta:
        model = SizeSegment
        fields = ["label", "max_population", "priority_lever", "lever_description"]
        widgets = {"lever_description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "max_population": "Le segment suivant commence à cette borne. Vide pour le dernier.",
        }


REFERENCE_FORMS: dict[str, tuple[type[models.Model], type[forms.ModelForm]]] = {
    "maturite": (MaturityProfile, MaturityProfileForm),
    "critere": (FragilityCriterion, FragilityCriterionForm),
    "fragilite": (Fragility, FragilityForm),
    "segment": (SizeSegment, SizeSegmentForm),
    "acteur": (ActorProfile, ActorProfileForm),
}
