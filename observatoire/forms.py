"""Upload forms of the Observatoire imports."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings

from observatoire.imports.values import FIRST_YEAR
from observatoire.models import Collection, ImportKind, ImportStatus
from territoires.models import Fragility, Level

ACCEPTED = (".csv", ".txt", ".xlsx")


class ImportFileField(forms.FileField):
    def clean(self, data: object, initial: object = None) -> object:
        upload = super().clean(data, initial)
        if upload is None:
            return upload
        if not upload.name.lower().endswith(ACCEPTED):
            raise forms.ValidationError(
                "Format non reconnu : envoyez un fichier CSV ou XLSX.", code="format"
            )
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"Fichier trop volumineux (plus de {settings.UPLOAD_MAX_BYTES // 1_048_576} Mo) : "
                "importez-le avec la commande manage.py import_indicateurs."
            )
        return upload


class CatalogueUploadForm(forms.Form):
    file = ImportFileField(
        label="Fichier du catalogue",
        help_text=(
            "CSV (séparateur ; ou ,) ou XLSX, colonnes "
            "<code>code;libelle;unite;source;millesime;domaine;polarite</code> ; "
            "<code>domaine</code> : libellé exact d’une des 16 fragilités ; "
            "<code>polarite</code> : <code>fragilite</code> ou <code>atout</code>. "
            "Colonnes facultatives : <code>collection</code>, <code>niveaux</code>, "
            "<code>additif</code> (oui/non), <code>nature</code> (effectif, taux ou valeur), "
            "<code>note</code>. Valeurs acceptées et modèles ci-dessous."
        ),
    )


class ValuesUploadForm(forms.Form):
    file = ImportFileField(
        label="Fichier des valeurs",
        help_text=(
            "CSV ou XLSX. Format large (une colonne par indicateur, code du territoire dans "
            "CODGEO) ou long (colonnes indicateur, code, annee, valeur). Séparateur, virgule "
            "décimale et encodage (UTF-8 ou Windows-1252) sont détectés ; s, nd, n.d., - et les "
            "cases vides sont des valeurs manquantes. Valeurs acceptées et modèles ci-dessous."
        ),
    )
    year = forms.IntegerField(
        label="Année",
        min_value=FIRST_YEAR,
        max_value=datetime.date.today().year,
        required=False,
        help_text=(
            "Obligatoire pour un fichier large ; un fichier long peut porter sa colonne annee."
        ),
    )
    level = forms.ChoiceField(
        label="Niveau des territoires",
        choices=[(value, label) for value, label in Level.choices if value != Level.PROJECT],
        initial=Level.COMMUNE,
    )
    code_column = forms.CharField(
        label="Colonne du code du territoire", initial="CODGEO", max_length=60
    )


CATALOGUE_SORTS = {
    "domaine": "domaine de fragilité",
    "code": "code",
    "libelle": "libellé",
    "polarite": "polarité",
    "collection": "collection",
    "source": "source",
}


class CatalogueFilterForm(forms.Form):
    """Search, filters and sort of the indicator catalogue (GET parameters, all optional)."""

    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        error_messages={"max_length": "100 caractères au plus."},
    )
    domaine = forms.ModelChoiceField(
        label="Domaine",
        queryset=Fragility.objects.order_by("order", "label"),
        to_field_name="code",
        required=False,
        empty_label="tous les domaines",
        error_messages={"invalid_choice": "Ce domaine n’existe pas : choisissez-en un des 16."},
    )
    polarite = forms.ChoiceField(
        label="Polarité",
        required=False,
        choices=[
            ("", "toutes"),
            ("fragilite", "fragilité"),
            ("atout", "atout"),
            ("aucune", "non précisée"),
        ],
    )
    niveau = forms.ChoiceField(
        label="Niveau",
        required=False,
        choices=[("", "tous"), *[(v, lbl) for v, lbl in Level.choices if v != Level.PROJECT]],
    )
    collection = forms.ChoiceField(
        label="Collection",
        required=False,
        choices=[("", "toutes"), *Collection.choices],
    )
    tri = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=[
            choice
            for key, label in CATALOGUE_SORTS.items()
            for choice in ((key, label), (f"-{key}", f"{label} (inverse)"))
        ],
    )


class ImportRunFilterForm(forms.Form):
    statut = forms.ChoiceField(
        label="Statut", required=False, choices=[("", "tous"), *ImportStatus.choices]
    )
    type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "tous"), *ImportKind.choices]
    )
