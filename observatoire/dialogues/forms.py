"""Forms of the territorial dialogues: opening one, its respondents' file, the respondent's side."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from observatoire.dialogues.models import Dialogue
from observatoire.dialogues.queries import DONT_KNOW
from territoires.forms import TerritoryField
from territoires.models import ActorProfile, Fragility

DEFAULT_DAYS = 30
DEFAULT_INTRODUCTION = (
    "Élu·es, entreprises, associations, services publics : nous voulons croiser vos regards sur "
    "les fragilités de notre territoire, à côté de ce que mesurent les indicateurs. Dites-nous, "
    "en une dizaine de minutes, comment vous percevez chacune, et ce qui vous semble prioritaire."
)


class DialogueForm(forms.ModelForm):
    territory = TerritoryField(
        label="Territoire",
        help_text="Région, département, intercommunalité, commune ou territoire de projet.",
    )

    class Meta:
        model = Dialogue
        fields = ["title", "introduction", "opens_on", "closes_on", "reminder_days"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "introduction": forms.Textarea(attrs={"rows": 5}),
        }

    field_order = ["territory", "title", "introduction", "opens_on", "closes_on", "reminder_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = timezone.localdate()
            self.fields["introduction"].initial = DEFAULT_INTRODUCTION
            self.fields["opens_on"].initial = today
            self.fields["closes_on"].initial = today + timedelta(days=DEFAULT_DAYS)

    def clean_reminder_days(self) -> str:
        raw = self.cleaned_data["reminder_days"]
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if any(not part.isdigit() or int(part) < 1 for part in parts):
            raise forms.ValidationError(
                "Indiquez des nombres de jours entiers positifs séparés par des virgules."
            )
        return ",".join(str(n) for n in sorted({int(p) for p in parts}))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "La clôture doit venir après l'ouverture.")
        return data


class RespondentsForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV ou XLSX des acteurs",
        help_text=(
            "Colonnes : email, nom, organisation, profil (code ou libellé d'un des 10 profils "
            "d'acteur). Modèles ci-dessous. 5 Mo au plus."
        ),
    )


def profiles() -> Any:
    return ActorProfile.objects.order_by("order", "label")


class IdentityForm(forms.Form):
    """Who answers: the only two things asked of a respondent."""

    actor_profile = forms.ModelChoiceField(
        label="Votre profil d'acteur",
        queryset=profiles(),
        empty_label="Choisissez…",
    )
    commune = TerritoryField(
        label="Votre commune d'activité",
        help_text="Tapez son nom ou son code postal, puis choisissez-la dans la liste.",
    )

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = required


LEVELS = {"": "unset", DONT_KNOW: None, "0": 0, "1": 1, "2": 2, "3": 3}


def perception_from(data: Any, fragility_id: int) -> tuple[int | str | None, bool] | None:
    """(level, is_priority) posted for one fragility, or None when the level is unknown."""
    raw = data.get(f"niveau-{fragility_id}", "")
    if raw not in LEVELS:
        return None
    return LEVELS[raw], data.get(f"priorite-{fragility_id}") == "oui"


class InitiativeForm(forms.Form):
    """Optional: all empty means « no initiative »; the service requires all four otherwise."""

    fragility = forms.ModelChoiceField(
        label="La fragilité à laquelle elle répond",
        queryset=Fragility.objects.order_by("order", "label"),
        required=False,
        empty_label="Choisissez…",
    )
    title = forms.CharField(label="Titre de l'initiative", max_length=200, required=False)
    text = forms.CharField(
        label="En un paragraphe",
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    carrier = forms.CharField(
        label="Qui la porte",
        max_length=200,
        required=False,
        help_text="Votre structure, ou celle que vous connaissez.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "initiative")
        super().__init__(*args, **kwargs)


class ActsWithForm(forms.Form):
    acts_with = forms.ModelMultipleChoiceField(
        label="Les profils d'acteurs avec qui vous agissez déjà",
        queryset=profiles(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
