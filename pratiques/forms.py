from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.models import User

from pratiques.models import Organisation
from territoires.forms import TerritoryField
from territoires.models import ActorProfile, Engineering


class ContextForm(forms.Form):
    """Where and as whom a catalyst assesses their practices: the fields of a new self-assessment
    (``StartForm``) and of a campaign's open link (``SelfRegisterForm``)."""

    territory = TerritoryField(label="Territoire d'action")
    actor_profile = forms.ModelChoiceField(
        label="Profil d'acteur",
        queryset=ActorProfile.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    engineerings = forms.ModelMultipleChoiceField(
        label="Ingénierie(s) pratiquée(s)",
        queryset=Engineering.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins une ingénierie."},
    )


class StartForm(ContextForm):
    """The context of a new self-assessment."""

    organisation = forms.ModelChoiceField(
        label="Mon organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="— Aucune ou nouvelle organisation —",
    )
    organisation_name = forms.CharField(
        label="Nouvelle organisation (nom)",
        max_length=200,
        required=False,
        help_text=(
            "Laissez vide si vous avez choisi une organisation ci-dessus ou n'en indiquez aucune."
        ),
    )
    territory = TerritoryField(
        label="Territoire d'action",
        help_text="Commune, intercommunalité, département, région ou territoire de projet.",
    )
    field_order = ["organisation", "organisation_name", "territory"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["organisation"]
        ).queryset = Organisation.objects.filter(memberships__user=user)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("organisation") and (data.get("organisation_name") or "").strip():
            self.add_error(
                "organisation_name",
                (
                    "Choisissez une organisation existante ou saisissez un nouveau nom, pas les deux."
                ),
            )
        return data


class PreferencesForm(forms.Form):
    consent_statistics = forms.BooleanField(
        label="Mon auto-évaluation peut alimenter les statistiques anonymisées",
        required=False,
        help_text=(
            "Comparaisons entre pairs et rapports de territoire, jamais en dessous de "
            "5 auto-évaluations. Vous pourrez changer d'avis à tout moment."
        ),
    )
    share_with_organisation = forms.BooleanField(
        label="Partager mon auto-évaluation avec mon organisation (outil de dialogue)",
        required=False,
        help_text=("Les membres de votre organisation verront vos réponses, pas vos commentaires."),
    )


class JoinForm(forms.Form):
    join_code = forms.CharField(
        label="Code de l'organisation",
        max_length=20,
        help_text=(
            "Demandez-le à un membre de l'organisation : il figure sur sa page de dialogue."
        ),
    )
