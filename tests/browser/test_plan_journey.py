"""The development plan in a real browser, on a phone (390 px) and on a desk (1280 px), with the
platform's axe-core and overflow checks on every page: tick 3 practices, submit, fill the plan with
the keyboard, download the PDF and the .ics, share with the team, a teammate sees it, submit a new
assessment, review."""

from __future__ import annotations

import re
from typing import Any

import pytest
from icalendar import Calendar

from config.roles import Role
from pratiques import services
from pratiques.models import DevelopmentPlan, Organisation, PlanStatus
from tests.browser.test_journeys_responsive import VIEWPORTS, Checker
from tests.conftest import make_user
from tests.factories import mini_geography
from tests.pratiques.helpers import answer_all, start


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_catalyst_plans_shares_and_reviews(live_server: Any, browser: Any) -> None:
    geo = mini_geography()
    checker = Checker(browser, live_server, "plan")
    for width, height in VIEWPORTS:
        user = make_user(f"camille{width}", Role.CATALYST, first_name="Camille", last_name="P")
        teammate = make_user(f"bob{width}", Role.CATALYST, first_name="Bob", last_name="Durand")
        draft = start(user, geo.vincennes, organisation_name=f"Agence {width}")
        organisation = Organisation.objects.get(name=f"Agence {width}")
        services.organisation_join(user=teammate, join_code=organisation.join_code)
        answer_all(draft, 1, 1, carrying=1)
        context = checker.context(width, height)
        page = context.new_page()
        checker.login(page, user.username)

        # tick 3 practices « à développer » (autosaved), then submit
        page.goto(f"{checker.base}/pratiques/evaluations/{draft.pk}/")
        boxes = page.get_by_label("Je souhaite développer cette pratique")
        for index in (0, 4, 9):
            boxes.nth(index).check()
            page.locator(
                f"#etat-{boxes.nth(index).get_attribute('name')[1:].split('-')[0]}"
            ).get_by_text(re.compile("Enregistré")).wait_for()
        page.get_by_role("button", name=re.compile("passer à la validation")).first.click()
        page.wait_for_url(re.compile(r".*/valider/$"))
        page.get_by_role("button", name="Valider et voir mes résultats").click()
        page.wait_for_url(re.compile(r".*/resultats/$"))
        page.get_by_role("link", name=re.compile("mon plan de développement$")).first.click()
        page.wait_for_url(re.compile(r".*/pratiques/plan/\d+/$"))
        checker.check(page, "mon plan")
        assert page.locator("article.plan-item").count() == 3

        # fill the first item with the keyboard: each change is autosaved
        item = page.locator("article.plan-item").first
        item_id = item.get_attribute("id").split("-")[1]
        page.focus(f"#i{item_id}-way")
        page.keyboard.press("ArrowDown")  # « En interne »
        page.keyboard.press("ArrowDown")  # « En partenariat »
        page.keyboard.press("Tab")
        item.locator(".state").get_by_text(re.compile("Enregistré")).wait_for()
        page.locator(f"#i{item_id}-due_on").fill("2099-06-30")  # the browser's own date picker
        page.keyboard.press("Tab")
        page.wait_for_function(
            "(id) => document.querySelector('#etat-element-' + id).textContent.includes('Enregistré')",
            arg=item_id,
        )
        page.focus(f"#i{item_id}-partner")
        page.keyboard.type("Agence d'urbanisme")
        page.keyboard.press("Tab")
        plan = DevelopmentPlan.objects.get(user=user)
        saved = plan.items.get(pk=item_id)
        page.wait_for_timeout(300)
        saved.refresh_from_db()
        assert (saved.way, str(saved.due_on)) == (2, "2099-06-30")

        # downloads
        with page.expect_download() as pdf:
            page.get_by_role("link", name="Télécharger le plan (PDF)").click()
        assert pdf.value.suggested_filename.endswith(".pdf")
        with page.expect_download() as ics:
            page.get_by_role("link", name=re.compile("Ajouter les échéances")).click()
        with open(ics.value.path(), "rb") as handle:
            events = Calendar.from_ical(handle.read()).walk("VEVENT")
        assert len(events) == 1

        # share with the team; the teammate sees it
        page.get_by_label("Partager mon plan avec").select_option(
            label=f"mon organisation « Agence {width} »"
        )
        page.get_by_role("button", name="Enregistrer ces choix").click()
        page.wait_for_load_state("networkidle")
        checker.check(page, "plan partagé")
        other = checker.context(width, height).new_page()
        checker.login(other, teammate.username)
        other.goto(f"{checker.base}{organisation.get_absolute_url()}")
        checker.check(other, "dialogue de l'équipe")
        assert "Camille P : en partenariat" in other.content()
        other.context.close()

        # a new assessment, submitted: the review of the plan
        second = start(user, geo.vincennes, organisation=organisation)
        answer_all(second, 3, 3, carrying=1)
        page.goto(f"{checker.base}/pratiques/evaluations/{second.pk}/valider/")
        page.get_by_role("button", name="Valider et voir mes résultats").click()
        page.wait_for_url(re.compile(r".*/bilan/$"))
        checker.check(page, "bilan")
        page.get_by_role("button", name="Enregistrer mon bilan").click()
        page.wait_for_url(re.compile(r".*/pratiques/plan/\d+/$"))
        checker.check(page, "nouveau plan")
        saved.refresh_from_db()
        assert saved.reviewed_at is not None and saved.status in PlanStatus.values
        context.close()
    assert len(checker.checked) == 2 * 7
