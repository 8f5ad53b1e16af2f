"""Forms of the campaigns: the campaign itself, a population file, the open-link sign-up."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from pratiques.forms import ContextForm
from pratiques.models import Campaign, GridStatus, GridVersion

DEFAULT_INVITATION = (
    "Bonjour,\n\nLe Réseau des catalyseurs territoriaux mène son étude auprès de ses catalyseurs. "
    "Merci de qualifier vos pratiques sur la grille : une vingtaine de minutes, vos réponses "
    "restent personnelles et n'alimentent l'étude que de façon anonyme."
)
DEFAULT_REMINDER = (
    "Bonjour,\n\nVotre auto-évaluation pour l'étude du réseau n'est pas encore validée. "
    "Il est encore temps d'y répondre."
)


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "title",
            "version",
            "opens_on",
            "closes_on",
            "invitation_text",
            "reminder_text",
            "reminder_days",
            "open_registration",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "invitation_text": forms.Textarea(attrs={"rows": 5}),
            "reminder_text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A new campaign runs on the published grid only (an archived one would give answers
        # no catalyst compares with); an edited one keeps the version it was created on.
        versions = GridVersion.objects.filter(status=GridStatus.PUBLISHED)
        if self.instance.pk:
            versions = versions | GridVersion.objects.filter(pk=self.instance.version_id)
        version = cast(forms.ModelChoiceField, self.fields["version"])
        version.queryset = versions
        version.empty_label = None
        version.error_messages["invalid_choice"] = (
            "Une campagne se lance sur la grille publiée : les versions archivées ne sont plus "
            "proposées."
        )
        if not self.instance.pk:
            self.fields["invitation_text"].initial = DEFAULT_INVITATION
            self.fields["reminder_text"].initial = DEFAULT_REMINDER
            current = versions.first()
            if current is not None:
                self.fields["version"].initial = current.pk

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
            self.add_error("closes_on", "La clôture doit suivre l'ouverture.")
        return data


class PopulationForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV ou XLSX",
        help_text=(
            "Colonnes : email, prenom, nom, organisation, profil (code ou libellé), territoire "
            "(code INSEE ou SIREN, ou niveau:code), ingenieries (facultatif ; codes ou libellés "
            "séparés par des virgules). Valeurs acceptées et modèles ci-dessous. 5 Mo au plus."
        ),
    )


class SelfRegisterForm(ContextForm):
    """The context of an answer through a campaign's open link."""
