"""What changed since an official's last visit, and the report-changed e-mail (one per change)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command

from observatoire.follows import followers_notify
from observatoire.models import Indicator, IndicatorValue
from territoires.models import Follow
from territoires.services import maturity_assess
from tests.conftest import logged_in, ok


def _maturity(territory: Any, user: User) -> None:
    maturity_assess(
        territory=territory,
        ecosystem_score=3,
        pivot_score=3,
        skills_score=3,
        rationale="Diagnostic partagé",
        user=user,
    )


def _value(catalogue: dict[str, Indicator], territory: Any, year: int) -> None:
    IndicatorValue.objects.create(
        indicator=catalogue["TX_CHOM"], territory=territory, year=year, value=9.0
    )


@pytest.mark.django_db
def test_the_space_says_what_changed_since_the_last_visit(
    geo: Any, catalogue: dict[str, Indicator], elise: User, nadia: User
) -> None:
    Follow.objects.create(user=elise, territory=geo.vincennes)
    official = logged_in(elise)
    html = official.get("/espace/elu/").content.decode()
    assert "Vincennes" in html and "Depuis votre dernière visite" not in html
    ok(official.post("/espace/elu/vu/"), 302)
    html = official.get("/espace/elu/").content.decode()
    assert "Rien de nouveau depuis votre dernière visite" in html
    _maturity(geo.vincennes, nadia)
    _value(catalogue, geo.vincennes, 2022)
    html = official.get("/espace/elu/").content.decode()
    assert "Depuis votre dernière visite" in html
    assert "Nouveau millésime d&#x27;indicateurs : 2022" in html
    assert "Nouvelle évaluation de maturité" in html
    # A GET writes nothing: the changes stay until the official marks them as seen.
    assert "Nouveau millésime" in official.get("/espace/elu/").content.decode()
    ok(official.post("/espace/elu/vu/"), 302)
    assert "Rien de nouveau" in official.get("/espace/elu/").content.decode()


@pytest.mark.django_db
def test_only_an_official_marks_changes_as_seen(geo: Any, alice: User, elise: User) -> None:
    follow = Follow.objects.create(user=elise, territory=geo.vincennes)
    assert logged_in(alice).post("/espace/elu/vu/").status_code == 403
    assert logged_in(elise).get("/espace/elu/vu/").status_code == 405
    follow.refresh_from_db()
    assert follow.seen_at is None


@pytest.mark.django_db
def test_the_practices_section_released_is_a_change(geo: Any, elise: User) -> None:
    from pratiques.aggregates import release_aggregates
    from tests.pratiques.helpers import peers

    Follow.objects.create(user=elise, territory=geo.vincennes)
    official = logged_in(elise)
    ok(official.post("/espace/elu/vu/"), 302)
    peers(geo.vincennes, 5)
    # Public practice figures change only at a dated release (disclosure policy).
    assert "désormais publiée" not in official.get("/espace/elu/").content.decode()
    release_aggregates(trigger="test")
    html = official.get("/espace/elu/").content.decode()
    assert "pratiques d&#x27;ingénierie » du rapport est désormais publiée" in html


@pytest.mark.django_db
def test_the_space_query_count_is_bounded_per_territory(
    geo: Any, elise: User, django_assert_max_num_queries
) -> None:
    for territory in (geo.vincennes, geo.saint_mande, geo.loire):
        Follow.objects.create(user=elise, territory=territory)
    official = logged_in(elise)
    official.get("/espace/elu/")
    # session, user, roles, grid version, follows, 3 per territory (vintage, maturity, practices),
    # mandates; a handful more for the form and the links
    with django_assert_max_num_queries(5 + 3 * 3 + 6):
        ok(official.get("/espace/elu/"))


@pytest.mark.django_db
def test_one_email_per_report_change_never_twice(
    geo: Any, catalogue: dict[str, Indicator], elise: User, nadia: User
) -> None:
    follow = Follow.objects.create(user=elise, territory=geo.vincennes, notify_by_email=True)
    # The first pass records the current report without an e-mail.
    assert followers_notify() == 0
    follow.refresh_from_db()
    assert follow.notified_key
    assert followers_notify() == 0
    _value(catalogue, geo.vincennes, 2022)
    assert followers_notify() == 1
    assert followers_notify() == 0  # re-run (or a crash and a retry): nothing sent again
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["elise@exemple.fr"]
    assert "Vincennes" in message.subject
    assert "/territoires/commune/94080/rapport.pdf" in message.body
    _maturity(geo.vincennes, nadia)
    assert followers_notify() == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_no_email_without_the_option_or_for_a_deactivated_account(
    geo: Any, catalogue: dict[str, Indicator], elise: User
) -> None:
    Follow.objects.create(user=elise, territory=geo.vincennes)
    followers_notify()
    _value(catalogue, geo.vincennes, 2022)
    assert followers_notify() == 0
    Follow.objects.update(notify_by_email=True)
    followers_notify()
    elise.is_active = False
    elise.save()
    _value(catalogue, geo.vincennes, 2023)
    assert followers_notify() == 0
    assert not mail.outbox


@pytest.mark.django_db
def test_the_command_runs_it_inline(
    geo: Any, elise: User, capsys: pytest.CaptureFixture[str]
) -> None:
    Follow.objects.create(user=elise, territory=geo.vincennes, notify_by_email=True)
    call_command("notify_followers", "--inline")
    assert "0 e-mail(s) envoyé(s)" in capsys.readouterr().out
