"""The loader on a small synthetic vintage of Etalab's JSON files."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from territoires.geography import build_rows, geography_load, read_fixture, write_fixture
from territoires.models import Level, Territory


def write_vintage(folder: Path, *, rename: bool = False, drop: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    regions = [{"code": "11", "nom": "Île-de-France", "zone": "metro"}]
    departements = [{"code": "94", "nom": "Val-de-Marne", "region": "11", "zone": "metro"}]
    communes = [
        {
            "code": "94080",
            "nom": "Vincennes",
            "departement": "94",
            "region": "11",
            "type": "commune-actuelle",
            "zone": "metro",
            "codesPostaux": ["94300"],
            "population": 48193,
            "anciensCodes": ["94002", "94001"],
        },
        {
            "code": "94067",
            "nom": "Saint-Mandé" if not rename else "Saint-Mandé-sur-Bois",
            "departement": "94",
            "region": "11",
            "type": "commune-actuelle",
            "zone": "metro",
            "codesPostaux": ["94160"],
            "population": 21071,
        },
        {
            "code": "94999",
            "nom": "Sans population",
            "departement": "94",
            "region": "11",
            "type": "commune-actuelle",
            "zone": "metro",
        },
        {
            "code": "94001",
            "nom": "Déléguée",
            "departement": "94",
            "region": "11",
            "type": "commune-deleguee",
        },
    ]
    if drop:
        communes = [c for c in communes if c["code"] != "94999"]
    epci = [
        {
            "code": "200054781",
            "nom": "Métropole du Grand Paris",
            "type": "METRO",
            "populationMunicipale": 69264,
            "membres": [{"code": "94080"}, {"code": "94067"}],
        }
    ]
    for name, data in [
        ("regions", regions),
        ("departements", departements),
        ("communes", communes),
        ("epci", epci),
    ]:
        (folder / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


@pytest.mark.django_db
def test_build_rows_derives_parents_and_populations(tmp_path: Path) -> None:
    rows = build_rows(write_vintage(tmp_path / "v1"))
    by_key = {(r["level"], r["code"]): r for r in rows}
    assert len(rows) == 1 + 1 + 1 + 1 + 3  # the commune déléguée is left out
    assert by_key[("pays", "FR")]["population"] == str(48193 + 21071)
    assert by_key[("commune", "94080")]["epci"] == "200054781"
    assert by_key[("commune", "94999")]["population"] == ""
    assert by_key[("commune", "94080")]["former_codes"] == "94001 94002"
    assert by_key[("epci", "200054781")]["departement"] == "94"
    assert by_key[("epci", "200054781")]["kind"] == "METRO"
    # The compressed file round-trips, byte-identical on a rebuild.
    path = tmp_path / "geo.csv.gz"
    write_fixture(rows, path)
    first = path.read_bytes()
    write_fixture(rows, path)
    assert path.read_bytes() == first
    assert read_fixture(path) == rows


@pytest.mark.django_db
def test_load_is_idempotent_and_reports_changes(
    tmp_path: Path, django_assert_max_num_queries
) -> None:
    report = geography_load(rows=build_rows(write_vintage(tmp_path / "v1")))
    assert dict(report.created) == {
        "pays": 1,
        "region": 1,
        "departement": 1,
        "epci": 1,
        "commune": 3,
        "arrondissement": 0,
    }
    vincennes = Territory.objects.select_related("epci", "departement", "region").get(
        level=Level.COMMUNE, code="94080"
    )
    assert vincennes.epci.code == "200054781" and vincennes.departement.name == "Val-de-Marne"
    assert vincennes.region.name == "Île-de-France" and vincennes.echelon == "local"
    assert "vinc" in vincennes.search_prefixes and "94300" in vincennes.search_prefixes
    assert vincennes.former_codes == ["94001", "94002"] and "94002" in vincennes.search_prefixes

    before = list(Territory.objects.order_by("id").values())
    with django_assert_max_num_queries(12):  # one read per level, no write
        again = geography_load(rows=build_rows(write_vintage(tmp_path / "v1")))
    assert not again.changed and not again.disappeared
    assert list(Territory.objects.order_by("id").values()) == before

    changed = geography_load(
        rows=build_rows(write_vintage(tmp_path / "v2", rename=True, drop=True))
    )
    assert changed.updated["commune"] == 1 and changed.created["commune"] == 0
    assert changed.updated["pays"] == 0  # population of France unchanged: 94999 had none
    assert changed.disappeared == ["commune:94999 Sans population"]
    assert Territory.objects.get(code="94067").search_name == "st mande sur bois"
    assert Territory.objects.filter(
        code="94999"
    ).exists()  # reported, kept without --supprimer-disparus

    pruned = geography_load(
        rows=build_rows(write_vintage(tmp_path / "v2", rename=True, drop=True)), prune=True
    )
    assert pruned.deleted == 1
    assert not Territory.objects.filter(code="94999").exists()


@pytest.mark.django_db
def test_commands(tmp_path: Path) -> None:
    folder = write_vintage(tmp_path / "v1")
    out = StringIO()
    call_command("build_geography", str(folder), sortie=str(tmp_path / "g.csv.gz"), stdout=out)
    assert "commune 3" in out.getvalue()
    out = StringIO()
    call_command("load_geography", fichier=str(tmp_path / "g.csv.gz"), stdout=out)
    assert "Commune : 3 créé(s)" in out.getvalue()
    out = StringIO()
    call_command("load_geography", json_dir=str(folder), stdout=out)
    assert "aucun changement" in out.getvalue()


@pytest.mark.django_db
def test_build_command_explains_a_wrong_folder(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Fichiers manquants"):
        call_command("build_geography", str(tmp_path))
