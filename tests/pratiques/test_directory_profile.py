"""A person's own profile: opt-in off by default, dated consent, reconfirmation, withdrawal,
« mes données », account deletion; a profile says nothing of assessments."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import account_delete
from pratiques.directory.services import reconfirm_reminders_send
from pratiques.models import DirectoryProfile
from pratiques.models.directory import CONSENT_VERSION
from tests.conftest import logged_in, ok
from tests.factories import submitted_assessment
from tests.pratiques.directory_helpers import opt_in

ME = reverse("pratiques:directory_me")


def form(**extra: str) -> dict[str, str]:
    return {
        "shown_name": "Alice M.",
        "structure": "Agence",
        "territories": "commune:94080",
        "visibility": "public",
        **extra,
    }


def test_no_profile_until_consent(alice: User, geo) -> None:
    client = logged_in(alice)
    page = ok(client.get(ME)).content.decode()
    assert "Vous ne figurez pas dans l'annuaire" in page
    response = client.post(ME, form())
    assert response.status_code == 400
    assert "consentement" in response.content.decode()
    assert not DirectoryProfile.objects.exists()


def test_opt_in_records_dated_consent(alice: User, geo) -> None:
    before = timezone.now()
    ok(logged_in(alice).post(ME, form(consent="on")), 302)
    profile = DirectoryProfile.objects.get(user=alice)
    assert profile.consent_version == CONSENT_VERSION
    assert profile.consent_at >= before and profile.confirmed_at >= before
    assert list(profile.territories.all()) == [geo.vincennes]
    ok(Client().get(reverse("pratiques:directory_profile", args=[profile.pk])))


def test_profile_page_is_a_404_without_opt_in(alice: User, geo) -> None:
    ok(Client().get(reverse("pratiques:directory_profile", args=[1])), 404)


def test_withdrawal_is_immediate(alice: User, geo) -> None:
    profile = opt_in(alice, geo.vincennes)
    ok(logged_in(alice).post(reverse("pratiques:directory_withdraw")), 302)
    assert not DirectoryProfile.objects.exists()
    ok(Client().get(reverse("pratiques:directory_profile", args=[profile.pk])), 404)


def test_hidden_after_13_months_and_owner_told(alice: User, geo) -> None:
    profile = opt_in(alice, geo.vincennes)
    DirectoryProfile.objects.filter(pk=profile.pk).update(
        confirmed_at=timezone.now() - timedelta(days=400)
    )
    ok(Client().get(reverse("pratiques:directory_profile", args=[profile.pk])), 404)
    assert reconfirm_reminders_send() == 1
    assert reconfirm_reminders_send() == 0  # told once
    assert len(mail.outbox) == 1 and "masquée" in mail.outbox[0].subject
    page = ok(logged_in(alice).get(ME)).content.decode()
    assert "elle est masquée" in page
    ok(logged_in(alice).post(reverse("pratiques:directory_reconfirm")), 302)
    ok(Client().get(reverse("pratiques:directory_profile", args=[profile.pk])))


def test_profile_never_says_whether_its_owner_answered(alice: User, bob: User, geo) -> None:
    submitted_assessment(alice, geo.vincennes, lambda i, p: None)
    with_assessment = opt_in(alice, geo.vincennes, shown_name="Avec")
    without = opt_in(bob, geo.vincennes, shown_name="Sans")

    def shown(profile: DirectoryProfile) -> str:
        page = ok(Client().get(reverse("pratiques:directory_profile", args=[profile.pk])))
        main = page.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
        return main.replace(profile.shown_name, "X").replace(f"/{profile.pk}/", "/N/")

    assert shown(with_assessment) == shown(without)


def test_my_data_export_holds_the_profile_without_address(alice: User, geo) -> None:
    opt_in(alice, geo.vincennes, presentation="Anime un tiers-lieu.")
    export = ok(logged_in(alice).get(reverse("pratiques:directory_export"))).content.decode()
    assert "Anime un tiers-lieu." in export and CONSENT_VERSION in export
    assert "Vincennes" in export and "@" not in export
    page = ok(logged_in(alice).get(reverse("pratiques:my_data"))).content.decode()
    assert reverse("pratiques:directory_export") in page


def test_account_deletion_removes_the_profile(alice: User, geo) -> None:
    profile = opt_in(alice, geo.vincennes)
    account_delete(user=alice)
    assert not DirectoryProfile.objects.filter(pk=profile.pk).exists()


def test_no_fragment_of_the_profile_page(alice: User, htmx) -> None:
    """No page swaps a part of this one in: an HTMX request gets the whole page."""
    response = ok(logged_in(alice).get(ME, headers=htmx))
    assert b"<html" in response.content and b"directory-me" in response.content


def test_official_cannot_open_the_catalyst_form(elise: User) -> None:
    ok(logged_in(elise).get(ME), 403)
