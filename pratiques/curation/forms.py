"""Forms of the curation pages (French labels come from the models)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from pratiques.models import (
    Axis,
    ElementType,
    GridVersion,
    LineageKind,
    Practice,
    Resource,
    ScaleStep,
    Situation,
)


class VersionNewForm(forms.Form):
    label = forms.CharField(
        label="Libellé de la nouvelle version",
        max_length=60,
        help_text="Par exemple « 2025 ». Il sert aussi d'adresse : /pratiques/grille/2025/.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VersionNotesForm(forms.ModelForm):
    class Meta:
        model = GridVersion
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class AxisForm(forms.ModelForm):
    class Meta:
        model = Axis
        fields = ["title", "description", "lever"]


class SituationForm(forms.ModelForm):
    class Meta:
        model = Situation
        fields = ["title", "scope_note", "axis"]

    def __init__(self, *args: Any, version: GridVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["axis"]).queryset = Axis.objects.filter(
            version=version
        ).order_by("order")
        self.fields["axis"].label = "Axe (pour déplacer la situation)"


class PracticeForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = ["label", "situation"]

    def __init__(self, *args: Any, version: GridVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["situation"]).queryset = Situation.objects.filter(
            version=version
        ).order_by("order")
        self.fields["situation"].label = "Situation (pour déplacer la pratique)"


class ScaleStepForm(forms.ModelForm):
    class Meta:
        model = ScaleStep
        fields = ["label", "description"]


ELEMENT_FORMS: dict[str, type[forms.ModelForm]] = {
    "axe": AxisForm,
    "situation": SituationForm,
    "pratique": PracticeForm,
    "echelon": ScaleStepForm,
}


def element_form(kind: str, version: GridVersion, *args: Any, **kwargs: Any) -> forms.ModelForm:
    form_class = ELEMENT_FORMS[kind]
    if form_class in (SituationForm, PracticeForm):
        kwargs["version"] = version
    return form_class(*args, **kwargs)


class LineageForm(forms.Form):
    element_type = forms.ChoiceField(
        label="Élément",
        choices=[(ElementType.SITUATION, "Situation"), (ElementType.PRACTICE, "Pratique")],
    )
    kind = forms.ChoiceField(label="Nature", choices=LineageKind.choices)
    old_keys = forms.MultipleChoiceField(
        label="Élément(s) d'origine (version précédente)",
        help_text="Une scission part d'un seul élément ; une fusion en réunit plusieurs.",
    )
    new_keys = forms.MultipleChoiceField(
        label="Nouvel élément ou nouveaux éléments (ce brouillon)",
    )
    note = forms.CharField(label="Note", max_length=300, required=False)

    def __init__(
        self, *args: Any, version: GridVersion, previous: GridVersion | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)

        def choices(of: GridVersion | None) -> list[tuple[str, str]]:
            if of is None:
                return []
            situations = [
                (str(s.key), f"Situation {s.code} — {s.title}")
                for s in Situation.objects.filter(version=of).order_by("order")
            ]
            practices = [
                (str(p.key), f"Pratique {p.code} — {p.label}")
                for p in Practice.objects.filter(version=of)
                .select_related("situation")
                .order_by("situation__order", "order")
            ]
            return situations + practices

        cast(forms.MultipleChoiceField, self.fields["old_keys"]).choices = choices(previous)
        cast(forms.MultipleChoiceField, self.fields["new_keys"]).choices = choices(version)
        for name in ("old_keys", "new_keys"):
            self.fields[name].widget.attrs["size"] = 8


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["title", "kind", "url", "description", "source", "note"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PracticeChoiceField(forms.ModelChoiceField[Practice]):
    """A practice shown by its code and label (« 1.2 Financer les projets »)."""

    def label_from_instance(self, obj: Practice) -> str:
        return f"{obj.code} {obj.label}"


class AttachForm(forms.Form):
    practice = PracticeChoiceField(
        label="Pratique de la version courante",
        queryset=Practice.objects.none(),
        empty_label="Choisir une pratique…",
    )

    def __init__(self, *args: Any, version: GridVersion | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if version is not None:
            cast(forms.ModelChoiceField, self.fields["practice"]).queryset = (
                Practice.objects.filter(version=version)
                .select_related("situation")
                .order_by("situation__order", "order")
            )


class CompareForm(forms.Form):
    de = forms.ModelChoiceField(
        label="De la version", queryset=GridVersion.objects.all(), to_field_name="slug"
    )
    a = forms.ModelChoiceField(
        label="À la version", queryset=GridVersion.objects.all(), to_field_name="slug"
    )
