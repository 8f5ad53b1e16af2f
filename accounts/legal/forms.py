from __future__ import annotations

from django import forms

from accounts.legal.services import MAX_LENGTH


class LegalTextForm(forms.Form):
    body = forms.CharField(
        label="Texte de l’opérateur",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=MAX_LENGTH,
        help_text="Texte simple : une ligne vide sépare deux paragraphes. Chaque version est "
        "gardée dans l’historique ci-dessous.",
    )
