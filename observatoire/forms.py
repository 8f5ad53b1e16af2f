"""Upload forms of the Observatoire imports."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from observatoire.imports.values import FIRST_YEAR
from territoires.models import Level

ACCEPTED = (".csv", ".txt", ".xlsx")


class ImportFileField(forms.FileField):
    def clean(self, data: object, initial: object = None) -> object:
        upload = super().clean(data, initial)
        if upload is None:
            return upload
        if not upload.name.lower().endswith(ACCEPTED):
            raise forms.ValidationError(
                _("Format non reconnu : envoyez un fichier CSV ou XLSX."), code="format"
            )
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "Fichier trop volumineux (plus de %(mb)s Mo) : importez-le avec la commande "
                    "manage.py import_indicateurs."
                )
                % {"mb": settings.UPLOAD_MAX_BYTES // 1_048_576}
            )
        return upload


class CatalogueUploadForm(forms.Form):
    file = ImportFileField(
        label=_("Fichier du catalogue"),
        help_text=_(
            "CSV (séparateur ; ou ,) ou XLSX, colonnes "
            "<code>code;libelle;unite;source;millesime;domaine;polarite</code> ; "
            "<code>domaine</code> : libellé exact d’une des 16 fragilités ; "
            "<code>polarite</code> : <code>fragilite</code> ou <code>atout</code>. "
            "Colonnes facultatives : <code>collection</code>, <code>niveaux</code>, "
            "<code>additif</code> (oui/non), <code>note</code>."
        ),
    )


class ValuesUploadForm(forms.Form):
    file = ImportFileField(
        label=_("Fichier des valeurs"),
        help_text=_(
            "CSV ou XLSX. Format large (une colonne par indicateur, code du territoire dans "
            "CODGEO) ou long (colonnes indicateur, code, annee, valeur). Séparateur, virgule "
            "décimale et encodage (UTF-8 ou Windows-1252) sont détectés ; s, nd, n.d., - et les "
            "cases vides sont des valeurs manquantes."
        ),
    )
    year = forms.IntegerField(
        label=_("Année"),
        min_value=FIRST_YEAR,
        max_value=datetime.date.today().year,
        required=False,
        help_text=_(
            "Obligatoire pour un fichier large ; un fichier long peut porter sa colonne annee."
        ),
    )
    level = forms.ChoiceField(
        label=_("Niveau des territoires"),
        choices=[(value, label) for value, label in Level.choices if value != Level.PROJECT],
        initial=Level.COMMUNE,
    )
    code_column = forms.CharField(
        label=_("Colonne du code du territoire"), initial="CODGEO", max_length=60
    )
