from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User

from pratiques.campaigns.population import PopulationRefused, population_import
from pratiques.models import Invitee
from tests.conftest import logged_in
from tests.pratiques.campaign_helpers import make_campaign, population_csv

pytestmark = pytest.mark.django_db


def test_a_good_file_imports_everyone_with_their_groups(geo) -> None:
    campaign = make_campaign()
    result = population_import(campaign=campaign, data=population_csv(10), file_name="p.csv")
    assert (result.created, result.updated) == (10, 0)
    person = Invitee.objects.get(campaign=campaign, email="personne0000@exemple.fr")
    assert person.territory == geo.vincennes and person.region == geo.idf
    assert person.size_segment is not None and person.actor_profile.code == PROFILES_0
    assert [e.code for e in person.engineerings.all()] == ["catalyse-territoriale"]
    again = population_import(campaign=campaign, data=population_csv(10), file_name="p.csv")
    assert (again.created, again.updated) == (0, 10)
    assert Invitee.objects.filter(campaign=campaign).count() == 10


PROFILES_0 = "collectivites-territoriales"


def test_a_bad_file_is_refused_whole_with_every_bad_line(geo) -> None:
    campaign = make_campaign()
    data = population_csv(
        5,
        extra_lines=[
            "pas-une-adresse;A;B;;ingenieries;94080;",
            "x@exemple.fr;A;B;;profil-inconnu;99999;ingenierie-inconnue",
            "personne0001@exemple.fr;A;B;;ingenieries;94080;",
        ],
    )
    with pytest.raises(PopulationRefused) as refused:
        population_import(campaign=campaign, data=data, file_name="p.csv")
    text = [str(p) for p in refused.value.problems]
    assert any(t.startswith("ligne 7 : adresse électronique invalide") for t in text)
    assert any(t.startswith("ligne 8 : profil d'acteur inconnu") for t in text)
    assert any(t.startswith("ligne 8 : territoire inconnu « 99999 »") for t in text)
    assert any(t.startswith("ligne 8 : ingénierie inconnue") for t in text)
    assert any("déjà présente ligne 3" in t for t in text)
    assert not Invitee.objects.exists()  # nothing committed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "vide"),
        (b"email;nom\nx@exemple.fr;B\n", "colonne(s) manquante(s)"),
        (b"email;profil;territoire\x00\n", "octets nuls"),
    ],
)
def test_unreadable_files_are_refused(geo, data: bytes, message: str) -> None:
    with pytest.raises(PopulationRefused) as refused:
        population_import(campaign=make_campaign(), data=data, file_name="p.csv")
    assert message in str(refused.value.problems[0])


def test_windows_1252_and_xlsx_files_are_read(geo) -> None:
    from openpyxl import Workbook

    campaign = make_campaign()
    latin = "email;prénom;nom;organisation;profil;territoire\nzoe@exemple.fr;Zoé;Éric;;Ingénieries;42218\n"
    population_import(campaign=campaign, data=latin.encode("cp1252"), file_name="p.csv")
    assert Invitee.objects.get(email="zoe@exemple.fr").first_name == "Zoé"
    book = Workbook()
    sheet = book.active
    sheet.append(["Email", "Prenom", "Nom", "Organisation", "Profil", "Territoire"])
    sheet.append(["xl@exemple.fr", "X", "L", "", "associations", 42095])
    buffer = io.BytesIO()
    book.save(buffer)
    population_import(campaign=campaign, data=buffer.getvalue(), file_name="p.xlsx")
    assert Invitee.objects.get(email="xl@exemple.fr").territory == geo.firminy


def test_upload_view_shows_every_problem_and_a_400(nadia: User, geo) -> None:
    campaign = make_campaign()
    client = logged_in(nadia)
    bad = io.BytesIO(population_csv(2, extra_lines=["mauvais;;;;;;"]))
    bad.name = "population.csv"
    response = client.post(f"/pratiques/campagnes/{campaign.pk}/population/", {"file": bad})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Fichier refusé, rien n" in html and "ligne 4 : adresse électronique invalide" in html
    good = io.BytesIO(population_csv(3))
    good.name = "population.csv"
    response = client.post(f"/pratiques/campagnes/{campaign.pk}/population/", {"file": good})
    assert response.status_code == 302 and Invitee.objects.count() == 3


def test_only_admins_import(alice: User, geo) -> None:
    campaign = make_campaign()
    upload = io.BytesIO(population_csv(1))
    upload.name = "p.csv"
    response = logged_in(alice).post(
        f"/pratiques/campagnes/{campaign.pk}/population/", {"file": upload}
    )
    assert response.status_code == 403 and not Invitee.objects.exists()


@pytest.mark.parametrize(
    ("profile", "engineerings"),
    [
        ("collectivites-territoriales", "catalyse-territoriale, management-projets"),
        ("Collectivités territoriales", "Ingénierie de catalyse territoriale|management-projets"),
        (
            "COLLECTIVITES_TERRITORIALES",
            "catalyse territoriale, Ingénierie de management de projets",
        ),
        # Accents decomposed (as some spreadsheets on macOS write them), typographic spacing.
        ("Collectivite\u0301s  territoriales", "Inge\u0301nierie de catalyse territoriale"),
    ],
)
def test_profiles_and_engineerings_by_code_or_label(geo, profile: str, engineerings: str) -> None:
    campaign = make_campaign()
    line = f'a@exemple.fr;A;B;;{profile};94080;"{engineerings}"'
    data = population_csv(0, extra_lines=[line])
    result = population_import(campaign=campaign, data=data, file_name="p.csv")
    person = Invitee.objects.get(campaign=campaign)
    assert result.created == 1 and person.actor_profile.code == "collectivites-territoriales"
    assert "catalyse-territoriale" in {e.code for e in person.engineerings.all()}


def test_the_page_lists_the_accepted_values_and_offers_templates(nadia: User, geo) -> None:
    campaign = make_campaign()
    html = logged_in(nadia).get(f"/pratiques/campagnes/{campaign.pk}/").content.decode()
    assert "Valeurs acceptées" in html and "<code>collectivites-territoriales</code>" in html
    assert "Ingénierie de catalyse territoriale" in html and "<code>epci</code>" in html
    assert 'href="/pratiques/campagnes/modele-population.csv"' in html
    assert 'href="/pratiques/campagnes/modele-population.xlsx"' in html
