"""Issue 31: each role's daily work, walked in Chromium at 390 × 844 and 1280 × 900 with the
platform's checks on every page (no horizontal scrolling, no axe-core violation: the ``Checker``
of ``test_journeys_responsive``). These journeys do not write the accessibility statement's
figures (``Checker.record`` stays with the statement's own journeys)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from config.roles import Role
from observatoire.models import ImportRun
from pratiques.aggregates import release_aggregates
from pratiques.models import Vouch
from territoires.services import mandate_decide, mandate_declare
from tests.browser.test_journeys_responsive import IMMEDIATE, VIEWPORTS, Checker, indicators
from tests.conftest import make_user
from tests.factories import mini_geography
from tests.pratiques.campaign_helpers import make_campaign
from tests.pratiques.curation_helpers import copy_current
from tests.pratiques.helpers import answer_all, current_practices, peers, start, submitted

BROWSER = pytest.mark.browser
DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def download(page: Any, base: str, link: Any) -> Any:
    """GET a link's target with the page's session (a file download, not a page)."""
    href = link.get_attribute("href")
    response = page.request.get(f"{base}{href}")
    assert response.ok, (href, response.status)
    return response


@BROWSER
@DB
def test_a_catalyst_s_day(live_server: Any, browser: Any) -> None:
    """Several drafts or « repartir de zéro », the scales explained without a tab stop each, a
    compact progress on a phone, the recap before validating, and the results' exports."""
    geo = mini_geography()
    peers(geo.vincennes, 10)
    release_aggregates()  # the results compare with released figures
    checker = Checker(browser, live_server, "catalyseur")
    for width, height in VIEWPORTS:
        user = make_user(f"claire{width}", Role.CATALYST, first_name="Claire", last_name="C")
        done = submitted(user, geo.vincennes, 2, 2)
        draft = start(user, geo.vincennes, organisation_name=f"Agence {width}")
        answer_all(draft, 2, 1, carrying=1, only=current_practices()[:20])
        context = checker.context(width, height)
        page = context.new_page()
        checker.login(page, user.username)
        page.goto(f"{checker.base}/pratiques/")
        checker.check(page, "mes auto-évaluations")
        page.goto(f"{checker.base}/pratiques/evaluations/nouvelle/")
        checker.check(page, "une auto-évaluation est en cours")
        assert page.get_by_role("button", name="Repartir de zéro").is_visible()
        page.get_by_role("link", name="Reprendre mon auto-évaluation").click()
        page.wait_for_url(re.compile(rf".*/evaluations/{draft.pk}/$"))
        checker.check(page, "questionnaire")
        # One explanation of the scales, folded, instead of an « échelle » link per scale.
        scale_links = page.locator("a", has_text=re.compile("échelle", re.I))
        assert scale_links.count() >= 72  # still a click away for a mouse…
        assert scale_links.evaluate_all("links => links.filter(a => a.tabIndex >= 0).length") == 0
        assert page.locator("details summary", has_text="Les trois échelles").count() == 1
        if width < 600:  # the sticky progress stays compact on a phone
            nav = page.locator(".fill-nav").bounding_box()
            assert nav and nav["height"] <= 0.1 * height, nav
        page.get_by_role("button", name=re.compile("passer à la validation")).first.click()
        page.wait_for_url(re.compile(r".*/valider/$"))
        checker.check(page, "récapitulatif avant validation")
        assert page.get_by_role("link", name=re.compile("^modifier", re.I)).count() >= 4
        page.goto(f"{checker.base}/pratiques/evaluations/{done.pk}/resultats/")
        page.wait_for_function(
            "() => { const i = document.querySelector('#radar-chart'); return i && i.complete && i.naturalWidth > 0; }"
        )
        checker.check(page, "résultats")
        exports = page.locator("p.exports")
        assert "comparaison avec le groupe" in exports.inner_text()
        for name, kind in (
            ("PDF", "application/pdf"),
            ("XLSX (résultats et réponses)", "spreadsheetml"),
            ("CSV des scores", "text/csv"),
        ):
            response = download(page, checker.base, exports.get_by_role("link", name=name))
            assert kind in response.headers["content-type"], name
        context.close()
    assert len(checker.checked) == 2 * 6  # with the login page


@BROWSER
@DB
def test_an_official_s_day(live_server: Any, browser: Any, settings: Any) -> None:
    """A mandate declared with the picker then withdrawn, a confirmed one that follows its
    territory, the territory page folded on a phone, two to four territories compared."""
    settings.TASKS = IMMEDIATE
    geo = mini_geography()
    indicators()
    peers(geo.vincennes, 6)
    admin = make_user("nadia", Role.NETWORK_ADMIN, is_staff=True)
    checker = Checker(browser, live_server, "elu")
    for width, height in VIEWPORTS:
        user = make_user(f"elise{width}", Role.OFFICIAL, first_name="Élise", last_name="E")
        confirmed = mandate_declare(user=user, territory=geo.vincennes, role_label="maire")
        mandate_decide(actor=admin, mandate=confirmed, confirm=True)
        context = checker.context(width, height)
        page = context.new_page()
        checker.login(page, user.username)
        page.goto(f"{checker.base}/espace/elu/")
        checker.check(page, "espace élu·e")
        followed = page.locator("ul.followed")
        assert "Vincennes" in followed.inner_text()  # the confirmed mandate follows it
        page.get_by_label("Territoire représenté").fill("Saint-Mandé")
        page.get_by_label("Fonction").fill("adjointe")
        page.get_by_role("button", name="Déclarer ce mandat").click()
        withdraw = page.get_by_role("button", name="Retirer le mandat : Saint-Mandé")
        withdraw.wait_for()
        checker.check(page, "mandat déclaré")
        withdraw.click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_role("button", name="Retirer le mandat : Saint-Mandé").count() == 0
        checker.check(page, "mandat retiré")
        page.goto(f"{checker.base}/territoires/commune/94080/")
        page.locator("#territory-indicators").first.wait_for(state="attached")
        checker.check(page, "fiche du territoire")
        assert page.get_by_role("navigation", name="Sur cette page").count() == 1
        assert page.get_by_role("button", name="Ne plus suivre ce territoire").is_visible()
        if width < 600:  # the parts folded: under half the unfolded page
            folded = page.evaluate("document.documentElement.scrollHeight")
            toggles = page.locator(".part-toggle")
            for index in range(toggles.count()):
                toggles.nth(index).click()
            page.locator("#territory-indicators").first.wait_for()
            unfolded = page.evaluate("document.documentElement.scrollHeight")
            assert folded < unfolded / 2, (folded, unfolded)
        query = "t1=commune:94080&t2=commune:94067&t3=commune:42218"
        page.goto(f"{checker.base}/territoires/comparer/?{query}")
        page.locator("#cmp-fragilities").wait_for()
        checker.check(page, "comparer trois territoires")
        headers = page.locator("table").first.locator("thead th").all_inner_texts()
        assert any("Vincennes" in h for h in headers) and any("Saint" in h for h in headers)
        pdf = page.request.get(f"{checker.base}/territoires/comparer.pdf?{query}")
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        context.close()
    assert len(checker.checked) == 2 * 6  # with the login page


@BROWSER
@DB
def test_an_admin_s_day(live_server: Any, browser: Any, settings: Any, tmp_path: Path) -> None:
    """« À faire » with the pending mandate and no Django admin link, the history in the
    domain's words, campaigns (empty, editable, deletable), the publish page, the grid analytics
    on another scale and by segment, an import's detail and the background tasks."""
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path
    settings.CACHE_DIR = tmp_path / "cache"
    geo = mini_geography()
    indicators()
    run = ImportRun.objects.order_by("-pk").first()
    assert run is not None
    peers(geo.vincennes, 6)
    release_aggregates()
    admin = make_user("nadia", Role.NETWORK_ADMIN, first_name="Nadia", last_name="A")
    Vouch.objects.get_or_create(user=admin, defaults={"source": "invitation"})
    official = make_user("olivier", Role.OFFICIAL, first_name="Olivier", last_name="O")
    mandate_declare(user=official, territory=geo.saint_mande, role_label="maire")
    draft = copy_current(admin, "2025")
    today = date.today()  # an empty campaign that opens next week: editable and deletable
    campaign = make_campaign(
        "Étude vide", opens_on=today + timedelta(days=7), closes_on=today + timedelta(days=40)
    )
    checker = Checker(browser, live_server, "admin")
    pages = [
        ("historique de la grille", "/pratiques/administration/historique/"),
        ("campagnes", "/pratiques/campagnes/"),
        ("nouvelle campagne", "/pratiques/campagnes/nouvelle/"),
        ("campagne vide", f"/pratiques/campagnes/{campaign.pk}/"),
        ("modifier la campagne", f"/pratiques/campagnes/{campaign.pk}/modifier/"),
        ("supprimer la campagne", f"/pratiques/campagnes/{campaign.pk}/supprimer/"),
        ("publier une version", f"/pratiques/administration/versions/{draft.slug}/publier/"),
        ("détail d'un import", f"/observatoire/imports/{run.pk}/"),
        ("tâches de fond", "/espace/administration/taches/"),
    ]
    for width, height in VIEWPORTS:
        context = checker.context(width, height)
        page = context.new_page()
        checker.login(page, "nadia")
        page.goto(f"{checker.base}/espace/administration/")
        checker.check(page, "à faire")
        todo = page.locator("#todo-mandates").locator("xpath=..").inner_text()
        assert "Saint-Mandé" in todo
        assert page.get_by_role("link", name="Administration technique (Django)").count() == 0
        for label, url in pages:
            page.goto(f"{checker.base}{url}")
            checker.check(page, label)
            if label == "historique de la grille":
                assert not re.search(r"\b(copied_from|slug|null)\b", page.inner_text("main"))
        page.goto(f"{checker.base}/pratiques/administration/analyses/")
        checker.check(page, "analyses")
        page.get_by_label("Niveau d'implication").check()
        page.get_by_label("Par segment de taille").check()
        page.get_by_role("button", name="Afficher").click()
        page.wait_for_url(re.compile(r".*echelle=involvement.*ventilation=segment.*"))
        page.get_by_role("heading", name=re.compile("Niveau d'implication, par segment")).wait_for()
        checker.check(page, "analyses par segment")
        context.close()
    assert len(checker.checked) == 2 * (4 + len(pages))  # with the login page
