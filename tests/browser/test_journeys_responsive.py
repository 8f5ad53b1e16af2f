"""The three journeys on a phone (390 × 844) and on a desk (1280 × 900): on every page, no
horizontal scrolling and no axe-core violation (WCAG 2.1 A and AA, any impact).

axe-core comes from npm (``.ci/run`` packs it into ``.cache/axe/``) or from ``AXE_CORE_PATH``.
``SCREENSHOT_DIR`` keeps a full-page screenshot of every page visited, to look at. Each journey
that passes compares what it measured with ``accounts/legal/accessibilite/<journey>.json``, the
accessibility statement's figures: pages, widths, axe version and rules must be the ones the
statement publishes. ``RECORD_ACCESSIBILITY=1`` writes them instead (with the day's date), to
commit after a journey changed; a plain run leaves the files alone."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from config.roles import Role
from observatoire.services import catalogue_import, values_import
from tests.conftest import PASSWORD, make_user
from tests.factories import mini_geography
from tests.observatoire.conftest import CATALOGUE_CSV
from tests.pratiques.helpers import answer_all, current_practices, peers, start

VIEWPORTS = [(390, 844), (1280, 900)]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VALUES = "CODGEO;TX_CHOM;TX_PAUV\n94080;7,5;9,1\n94067;6,2;8\n42218;15,3;24\n42095;12;18,2\n"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# The journeys as the accessibility statement names them.
JOURNEYS = {
    "elu": "Élu ou élue sans compte",
    "catalyseur": "Catalyseur",
    "admin": "Administration du réseau",
    "pages-legales": "Pages légales",
}
MEASURES_DIR = Path(__file__).resolve().parents[2] / "accounts" / "legal" / "accessibilite"


def axe_source() -> str:
    path = Path(
        os.environ.get("AXE_CORE_PATH")
        or Path(django_settings.BASE_DIR) / ".cache" / "axe" / "package" / "axe.min.js"
    )
    if not path.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"axe-core introuvable ({path}) : lancer .ci/run ou définir AXE_CORE_PATH.")
        pytest.skip("axe-core introuvable : tests d'accessibilité ignorés.")
    return path.read_text(encoding="utf-8")


class Checker:
    """Opens contexts at each width and checks every page the journey reaches."""

    def __init__(self, browser: Any, live_server: Any, name: str) -> None:
        self.browser, self.base, self.name = browser, live_server.url, name
        self.axe = axe_source()
        self.shots = os.environ.get("SCREENSHOT_DIR")
        self.checked: list[str] = []

    def context(self, width: int, height: int) -> Any:
        context = self.browser.new_context(
            locale="fr-FR", viewport={"width": width, "height": height}
        )
        context.set_default_timeout(20_000)
        return context

    def check(self, page: Any, label: str) -> None:
        page.wait_for_load_state("networkidle")
        width = page.evaluate("window.innerWidth")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{label} ({width} px) défile en largeur : {scroll_width} px"
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=self.axe)
        violations = page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
                return result.violations.map(v => `${v.id} (${v.impact}) : ` +
                    v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
            }""",
            AXE_TAGS,
        )
        assert violations == [], f"{label} ({width} px) : {violations}"
        if self.shots:
            folder = Path(self.shots)
            folder.mkdir(parents=True, exist_ok=True)
            slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
            page.screenshot(path=str(folder / f"{self.name}-{slug}-{width}.png"), full_page=True)
        self.checked.append(f"{label}@{width}")

    def record(self) -> None:
        """What this journey measured, for the accessibility statement (every check passed)."""
        version = re.search(r"axe v([\d.]+)", self.axe[:500])
        pages = sorted({check.rpartition("@")[0] for check in self.checked})
        widths = sorted({int(check.rpartition("@")[2]) for check in self.checked})
        measures = {
            "journey": JOURNEYS[self.name],
            "pages": pages,
            "widths": widths,
            "violations": 0,
            "axe": version.group(1) if version else "inconnue",
            "rules": AXE_TAGS,
            "measured_on": date.today().isoformat(),
        }
        path = MEASURES_DIR / f"{self.name}.json"
        if os.environ.get("RECORD_ACCESSIBILITY"):
            MEASURES_DIR.mkdir(exist_ok=True)
            text = json.dumps(measures, ensure_ascii=False, indent=1) + "\n"
            path.write_text(text, encoding="utf-8")
            return
        published = json.loads(path.read_text(encoding="utf-8"))
        del published["measured_on"], measures["measured_on"]
        assert published == measures, (
            f"La déclaration d'accessibilité ({path.name}) ne dit plus ce que ce parcours vérifie : "
            "relancer avec RECORD_ACCESSIBILITY=1 et valider le fichier."
        )

    def login(self, page: Any, username: str) -> None:
        page.goto(f"{self.base}/comptes/login/")
        self.check(page, "connexion")
        page.get_by_label("Adresse e-mail").fill(username)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state("networkidle")


def indicators() -> None:
    assert catalogue_import(data=CATALOGUE_CSV.encode(), file_name="c.csv").status == "reussi"
    run = values_import(data=VALUES.encode(), file_name="v.csv", year=2021, dry_run=False)
    assert run.status == "reussi", run.problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_official_without_account_finds_a_territory_and_its_report(
    live_server: Any, browser: Any, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    geo = mini_geography()
    indicators()
    peers(geo.vincennes, 6)
    checker = Checker(browser, live_server, "elu")
    for width, height in VIEWPORTS:
        context = checker.context(width, height)
        page = context.new_page()
        page.goto(f"{checker.base}/")
        checker.check(page, "accueil")
        page.get_by_label("Trouver un territoire").first.fill("Vincennes")
        page.get_by_label("Trouver un territoire").first.press("Enter")
        page.wait_for_url(re.compile(r".*/territoires/recherche/.*"))
        checker.check(page, "recherche")
        page.get_by_role("link", name=re.compile("^Vincennes")).first.click()
        page.wait_for_url(re.compile(r".*/territoires/commune/94080/$"))
        page.locator("#territory-indicators").first.wait_for(state="attached")
        checker.check(page, "fiche du territoire")
        if width < 600:  # on a phone the parts are folded under their headings
            folded = page.evaluate("document.documentElement.scrollHeight")
            toggles = page.locator(".part-toggle")
            assert toggles.count() >= 5
            for index in range(toggles.count()):
                toggles.nth(index).click()
            page.locator("#territory-indicators").first.wait_for()
            checker.check(page, "fiche du territoire dépliée")
            unfolded = page.evaluate("document.documentElement.scrollHeight")
            assert folded < unfolded / 2, (folded, unfolded)
        report = page.get_by_role("link", name="Télécharger le rapport (PDF)").first
        assert re.search(r"/rapport", report.get_attribute("href") or "")
        page.get_by_role("link", name="Comparer avec un autre territoire").first.click()
        page.get_by_label("Deuxième territoire").fill("commune:94067")
        page.get_by_role("button", name="Comparer").click()
        page.wait_for_url(re.compile(r".*/territoires/comparer/\?.*t2=.*"))
        page.locator("#cmp-fragilities").wait_for()
        checker.check(page, "comparaison")
        page.goto(f"{checker.base}/pratiques/grille/")
        checker.check(page, "grille")
        context.close()
    assert len(checker.checked) == 11
    checker.record()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_catalyst_goes_from_login_to_results(live_server: Any, browser: Any) -> None:
    geo = mini_geography()
    peers(geo.vincennes, 6)
    checker = Checker(browser, live_server, "catalyseur")
    for width, height in VIEWPORTS:
        user = make_user(f"camille{width}", Role.CATALYST, first_name="Camille", last_name="C")
        draft = start(user, geo.vincennes, organisation_name=f"Agence {width}")
        answer_all(draft, 2, 1, carrying=1, only=current_practices()[:20])
        context = checker.context(width, height)
        page = context.new_page()
        checker.login(page, user.username)
        checker.check(page, "après connexion")
        page.goto(f"{checker.base}/espace/catalyseur/")
        checker.check(page, "espace catalyseur")
        page.goto(f"{checker.base}/pratiques/")
        checker.check(page, "mes auto-évaluations")
        page.goto(f"{checker.base}/pratiques/evaluations/{draft.pk}/")
        checker.check(page, "questionnaire")
        if width < 600:  # the sticky progress stays compact on a phone (was ~17 % of the screen)
            nav = page.locator(".fill-nav").bounding_box()
            assert nav and nav["height"] <= 0.1 * height, nav
        page.get_by_role("button", name=re.compile("passer à la validation")).first.click()
        page.wait_for_url(re.compile(r".*/valider/$"))
        checker.check(page, "validation")
        consent = page.get_by_label(re.compile("alimenter les statistiques anonymisées"))
        assert not consent.is_checked()  # opt-in
        consent.check()
        page.get_by_role("button", name="Valider et voir mes résultats").click()
        page.wait_for_url(re.compile(r".*/resultats/$"))
        page.wait_for_function(  # the radar, a picture drawn on the server, is loaded
            "() => { const i = document.querySelector('#radar-chart'); return i && i.complete && i.naturalWidth > 0; }"
        )
        checker.check(page, "résultats")
        page.goto(f"{checker.base}/pratiques/mes-donnees/")
        checker.check(page, "mes données")
        context.close()
    assert len(checker.checked) == 16
    checker.record()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_admin_curates_imports_and_runs_a_batch(
    live_server: Any, browser: Any, settings: Any, tmp_path: Path
) -> None:
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path
    settings.CACHE_DIR = tmp_path / "cache"
    geo = mini_geography()
    peers(geo.vincennes, 6)
    make_user("nadia", Role.NETWORK_ADMIN, first_name="Nadia", last_name="Admin", is_staff=True)
    checker = Checker(browser, live_server, "admin")
    pages = [
        ("espace administration", "/espace/administration/"),
        ("curation", "/pratiques/administration/"),
        ("historique", "/pratiques/administration/historique/"),
        ("listes de référence", "/pratiques/administration/listes/"),
        ("ressources", "/pratiques/administration/ressources/"),
        ("analyses", "/pratiques/administration/analyses/"),
        ("catalogue des indicateurs", "/observatoire/indicateurs/"),
        ("imports", "/observatoire/imports/"),
        ("rapports en lot", "/observatoire/rapports/"),
    ]
    for width, height in VIEWPORTS:
        context = checker.context(width, height)
        page = context.new_page()
        checker.login(page, "nadia")
        for label, url in pages:
            page.goto(f"{checker.base}{url}")
            checker.check(page, label)
        page.goto(f"{checker.base}/pratiques/administration/")
        page.get_by_role("link", name=re.compile("2024")).first.click()
        checker.check(page, "version de la grille")
        context.close()
    assert len(checker.checked) == 2 * (2 + len(pages))
    checker.record()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_legal_pages_on_a_phone_and_a_desk(live_server: Any, browser: Any) -> None:
    make_user("nadia", Role.NETWORK_ADMIN, is_staff=True)
    checker = Checker(browser, live_server, "pages-legales")
    slugs = ["mentions-legales", "donnees-personnelles", "accessibilite", "contact"]
    for width, height in VIEWPORTS:
        context = checker.context(width, height)
        page = context.new_page()
        page.goto(f"{checker.base}/")
        for name in ("Mentions légales", "Données personnelles", "Contact"):
            page.get_by_role("contentinfo").get_by_role("link", name=name).click()
            page.wait_for_load_state("networkidle")
            checker.check(page, name.lower())
        page.get_by_role("contentinfo").get_by_role(
            "link", name="Accessibilité : non conforme"
        ).click()
        checker.check(page, "déclaration d’accessibilité")
        checker.login(page, "nadia")
        page.goto(f"{checker.base}/contact/modifier/")
        checker.check(page, "modifier un texte légal")
        page.get_by_label("Texte de l’opérateur").fill("Écrire à contact@reseau.example")
        page.get_by_role("button", name="Enregistrer une nouvelle version").click()
        page.wait_for_url(f"{checker.base}/contact/")
        assert "contact@reseau.example" in page.content()
        context.close()
    assert sorted({c.rpartition("@")[0] for c in checker.checked}) == sorted(
        ["connexion", "contact", "données personnelles", "déclaration d’accessibilité",
         "mentions légales", "modifier un texte légal"]
    )  # fmt: skip
    assert len(slugs) == 4 and len(checker.checked) == 2 * 6
    checker.record()
