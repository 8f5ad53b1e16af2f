"""Contact through the platform: signed-in senders, no address shown, 5 a day, admins block."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from pratiques.directory.services import sender_block
from pratiques.models import ContactMessage
from tests.conftest import logged_in, ok
from tests.pratiques.directory_helpers import opt_in


def contact_url(profile) -> str:
    return reverse("pratiques:directory_contact", args=[profile.pk])


def test_anonymous_sender_goes_to_login(alice: User, geo) -> None:
    profile = opt_in(alice, geo.vincennes)
    response = Client().post(contact_url(profile), {"body": "Bonjour"})
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    assert not ContactMessage.objects.exists()


def test_message_sent_without_showing_addresses(
    alice: User, elise: User, geo, django_capture_on_commit_callbacks
) -> None:
    profile = opt_in(alice, geo.vincennes)
    client = logged_in(elise)
    ok(client.get(contact_url(profile)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact_url(profile), {"body": "Pouvez-vous nous aider"})
    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert message.sender == elise and message.recipient == alice
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@exemple.fr"]
    assert "elise@exemple.fr" not in mail.outbox[0].body
    inbox = ok(logged_in(alice).get(reverse("pratiques:directory_inbox"))).content.decode()
    assert "Pouvez-vous nous aider" in inbox and "elise@exemple.fr" not in inbox
    # The recipient answers through the platform.
    ok(
        logged_in(alice).post(
            reverse("pratiques:directory_reply", args=[message.pk]), {"body": "Avec plaisir."}
        ),
        302,
    )
    reply = ContactMessage.objects.get(reply_to=message)
    assert reply.sender == alice and reply.recipient == elise


def test_sixth_message_of_the_day_refused_with_429(alice: User, elise: User, geo) -> None:
    profile = opt_in(alice, geo.vincennes)
    client = logged_in(elise)
    for number in range(5):
        ok(client.post(contact_url(profile), {"body": f"Message {number}"}), 302)
    response = client.post(contact_url(profile), {"body": "Un de trop"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Trop de messages aujourd" in page and "<html" in page and 'lang="fr"' in page
    assert ContactMessage.objects.count() == 5


def test_empty_message_is_a_400(alice: User, elise: User, geo) -> None:
    profile = opt_in(alice, geo.vincennes)
    response = logged_in(elise).post(contact_url(profile), {"body": "   "})
    assert response.status_code == 400
    assert not ContactMessage.objects.exists()


def test_blocked_sender_refused(alice: User, elise: User, nadia: User, geo) -> None:
    profile = opt_in(alice, geo.vincennes)
    sender_block(actor=nadia, user=elise, blocked=True)
    response = logged_in(elise).post(contact_url(profile), {"body": "Bonjour"})
    assert response.status_code == 400
    assert "suspendu" in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_admin_hides_a_profile(alice: User, nadia: User, geo) -> None:
    profile = opt_in(alice, geo.vincennes)
    ok(logged_in(nadia).get(reverse("pratiques:directory_moderation")))
    ok(
        logged_in(nadia).post(
            reverse("pratiques:directory_profile_hide", args=[profile.pk]), {"hidden": "oui"}
        ),
        302,
    )
    ok(Client().get(reverse("pratiques:directory_profile", args=[profile.pk])), 404)
    ok(logged_in(alice).post(reverse("pratiques:directory_profile_hide", args=[profile.pk])), 403)


def test_admin_blocks_a_sender_from_the_moderation_page(
    alice: User, elise: User, nadia: User, geo
) -> None:
    profile = opt_in(alice, geo.vincennes)
    ok(logged_in(elise).post(contact_url(profile), {"body": "Bonjour"}), 302)
    page = ok(logged_in(nadia).get(reverse("pratiques:directory_moderation"))).content.decode()
    assert "Suspendre ses envois" in page
    ok(
        logged_in(nadia).post(
            reverse("pratiques:directory_sender_block", args=[elise.pk]), {"blocked": "oui"}
        ),
        302,
    )
    assert logged_in(elise).post(contact_url(profile), {"body": "Encore"}).status_code == 400


def test_an_empty_reply_is_shown_again_under_its_message(alice: User, elise: User, geo) -> None:
    profile = opt_in(alice, geo.vincennes)
    ok(logged_in(elise).post(contact_url(profile), {"body": "Pouvez-vous nous aider"}), 302)
    message = ContactMessage.objects.get()
    response = logged_in(alice).post(
        reverse("pratiques:directory_reply", args=[message.pk]), {"body": ""}
    )
    html = ok(response, 400).content.decode()
    field = f"reply-{message.pk}"
    assert f'aria-describedby="{field}-error"' in html and f'id="{field}-error"' in html
    assert "<details open>" in html and "Ce champ est obligatoire." in html
    assert not ContactMessage.objects.filter(reply_to=message).exists()
