"""People management for network admins (/comptes/personnes/) and invitations."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from config.roles import Role, user_roles
from tests.conftest import logged_in, ok

STRONG = "Ingenierie-territoriale-2026"


def _invite(admin: Client, email: str = "maire@commune.fr", role: str = "elu") -> User:
    response = admin.post(
        "/comptes/personnes/inviter/",
        {"email": email, "first_name": "Paul", "last_name": "Maire", "roles": [role]},
    )
    assert response.status_code == 302, response.content.decode()
    return User.objects.get(email=email)


def _invitation_link(message: mail.EmailMessage) -> str:
    match = re.search(r"http://[^/\s]+(/comptes/invitation/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


PAGES = [
    ("get", "/comptes/personnes/"),
    ("get", "/comptes/personnes/inviter/"),
    ("get", "/comptes/personnes/historique/"),
    ("get", "/comptes/personnes/{pk}/"),
    ("post", "/comptes/personnes/{pk}/roles/"),
    ("post", "/comptes/personnes/{pk}/activation/"),
    ("post", "/comptes/personnes/{pk}/invitation/"),
    ("post", "/comptes/personnes/verrous/lever/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url"), PAGES)
def test_it_checks_the_role(method: str, url: str, alice: User, elise: User) -> None:
    url = url.format(pk=alice.pk)
    for user in (alice, elise):
        assert getattr(logged_in(user), method)(url).status_code == 403
    response = getattr(Client(), method)(url)
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


@pytest.mark.django_db
def test_the_list_searches_and_filters(
    alice: User, bob: User, elise: User, nadia: User, django_assert_num_queries
) -> None:
    admin = logged_in(nadia)
    admin.get("/comptes/personnes/")  # session and role cache warm
    # session, user, role, count, page, groups, lockouts, pending mandates, approvals
    with django_assert_num_queries(9):
        html = ok(admin.get("/comptes/personnes/")).content.decode()
    for name in ("Alice Martin", "Bob Durand", "Élise Maire", "Nadia Admin"):
        assert name in html
    html = admin.get("/comptes/personnes/?q=durand").content.decode()
    assert "Bob Durand" in html and "Alice Martin" not in html
    html = admin.get("/comptes/personnes/?role=elu").content.decode()
    assert "Élise Maire" in html and "Alice Martin" not in html
    alice.is_active = False
    alice.last_login = alice.date_joined
    alice.save()
    html = admin.get("/comptes/personnes/?statut=desactive").content.decode()
    assert "Alice Martin" in html and "Bob Durand" not in html


@pytest.mark.django_db
def test_the_list_answers_htmx_with_the_table_only(alice: User, nadia: User, htmx) -> None:
    html = logged_in(nadia).get("/comptes/personnes/?q=alice", headers=htmx).content.decode()
    assert "<html" not in html and 'id="people-table"' in html and "Alice Martin" in html


@pytest.mark.django_db
def test_an_invited_official_accepts_and_lands_in_their_space(nadia: User) -> None:
    admin = logged_in(nadia)
    user = _invite(admin)
    assert not user.is_active and not user.has_usable_password()
    assert user_roles(user) == [Role.OFFICIAL]
    assert len(mail.outbox) == 1 and "Nadia Admin vous invite" in mail.outbox[0].body
    link = _invitation_link(mail.outbox[0])
    client = Client()
    html = client.get(link).content.decode()
    assert "maire@commune.fr" in html and "Élu·e" in html
    response = client.post(
        link,
        {"first_name": "Paul", "last_name": "Maire", "password1": STRONG, "password2": STRONG},
    )
    assert response["Location"] == "/comptes/mon-espace/"
    assert client.get(response["Location"])["Location"] == "/espace/elu/"
    user.refresh_from_db()
    assert user.is_active and user.check_password(STRONG)
    # Used once: refused after.
    response = Client().get(link)
    assert response.status_code == 400 and "déjà été utilisé" in response.content.decode()
    history = admin.get(f"/comptes/personnes/{user.pk}/").content.decode()
    assert "Invitation envoyée (Élu·e)" in history and "Invitation acceptée" in history


@pytest.mark.django_db
def test_accepting_with_a_weak_password_redisplays_the_form(nadia: User) -> None:
    _invite(logged_in(nadia))
    link = _invitation_link(mail.outbox[0])
    response = Client().post(
        link, {"first_name": "Paul", "last_name": "Maire", "password1": "abc", "password2": "abc"}
    )
    assert response.status_code == 400
    assert "trop court" in response.content.decode()


@pytest.mark.django_db
def test_an_existing_address_cannot_be_invited(alice: User, nadia: User) -> None:
    response = logged_in(nadia).post(
        "/comptes/personnes/inviter/", {"email": "alice@exemple.fr", "roles": ["elu"]}
    )
    assert response.status_code == 400
    assert "Un compte existe déjà" in response.content.decode()
    assert not mail.outbox


@pytest.mark.django_db
def test_an_invitation_needs_a_role(nadia: User) -> None:
    response = logged_in(nadia).post("/comptes/personnes/inviter/", {"email": "x@exemple.fr"})
    assert response.status_code == 400
    assert "Choisissez au moins un rôle" in response.content.decode()


@pytest.mark.django_db
def test_resending_an_invitation_sends_a_new_link(nadia: User) -> None:
    admin = logged_in(nadia)
    user = _invite(admin)
    admin.post(f"/comptes/personnes/{user.pk}/invitation/")
    assert len(mail.outbox) == 2
    assert _invitation_link(mail.outbox[1])


@pytest.mark.django_db
def test_cancelling_a_pending_invitation_kills_its_link(nadia: User) -> None:
    admin = logged_in(nadia)
    user = _invite(admin)
    link = _invitation_link(mail.outbox[0])
    assert "Annuler l" in admin.get(f"/comptes/personnes/{user.pk}/").content.decode()
    admin.post(f"/comptes/personnes/{user.pk}/activation/", {"active": "non"})
    response = Client().get(link)
    assert response.status_code == 400
    assert LogEntry.objects.filter(change_message="Invitation annulée").exists()


@pytest.mark.django_db
def test_roles_deactivation_and_reactivation_are_recorded(alice: User, nadia: User) -> None:
    admin = logged_in(nadia)
    admin.post(f"/comptes/personnes/{alice.pk}/roles/", {"roles": ["catalyseur", "elu"]})
    alice.refresh_from_db()
    assert set(user_roles(User.objects.get(pk=alice.pk))) == {Role.CATALYST, Role.OFFICIAL}
    admin.post(f"/comptes/personnes/{alice.pk}/activation/", {"active": "non"})
    alice.refresh_from_db()
    assert not alice.is_active
    # A deactivated person's session stops working.
    assert logged_in(alice).get("/pratiques/").status_code == 302
    admin.post(f"/comptes/personnes/{alice.pk}/activation/", {"active": "oui"})
    alice.refresh_from_db()
    assert alice.is_active
    entries = list(
        LogEntry.objects.filter(object_id=str(alice.pk))
        .order_by("action_time", "pk")
        .values_list("user__username", "change_message")
    )
    assert entries == [
        ("nadia", "Rôles : Catalyseur·rice → Catalyseur·rice, Élu·e"),
        ("nadia", "Compte désactivé"),
        ("nadia", "Compte réactivé"),
    ]
    html = admin.get("/comptes/personnes/historique/").content.decode()
    assert "Compte désactivé" in html and "Nadia Admin" in html


@pytest.mark.django_db
def test_an_unknown_role_is_shown_on_the_roles_form(alice: User, nadia: User) -> None:
    response = logged_in(nadia).post(f"/comptes/personnes/{alice.pk}/roles/", {"roles": ["roi"]})
    assert response.status_code == 400 and 'name="roles"' in response.content.decode()
    assert "roi" in response.content.decode()  # Django's « roi n'en fait pas partie »
    assert user_roles(User.objects.get(pk=alice.pk)) == [Role.CATALYST]


@pytest.mark.django_db
def test_an_admin_cannot_drop_their_own_admin_role_or_deactivate_themself(nadia: User) -> None:
    admin = logged_in(nadia)
    refused = admin.post(f"/comptes/personnes/{nadia.pk}/roles/", {"roles": ["catalyseur"]})
    # The roles form again, the refusal on it.
    assert refused.status_code == 409 and "propre rôle" in refused.content.decode()
    assert 'name="roles"' in refused.content.decode()
    assert user_roles(User.objects.get(pk=nadia.pk)) == [Role.NETWORK_ADMIN]
    response = admin.post(
        f"/comptes/personnes/{nadia.pk}/activation/", {"active": "non"}, follow=True
    )
    assert "propre compte" in response.content.decode()
    nadia.refresh_from_db()
    assert nadia.is_active
    assert not LogEntry.objects.exists()


@pytest.mark.django_db
def test_the_person_page_is_a_whole_page(alice: User, nadia: User, htmx) -> None:
    # Reached by a plain link (no swap): an HTMX request gets the whole page too.
    html = logged_in(nadia).get(f"/comptes/personnes/{alice.pk}/", headers=htmx).content.decode()
    assert "<html" in html and "Alice Martin" in html


@pytest.mark.django_db
def test_an_unknown_person_is_a_404(nadia: User) -> None:
    assert logged_in(nadia).get("/comptes/personnes/999999/").status_code == 404


@pytest.mark.django_db
def test_network_admins_are_not_staff_and_admin_stays_for_superusers(nadia: User) -> None:
    from django.core.management import call_command

    call_command("create_network_admin", "autre-admin", "--password", STRONG)
    user = User.objects.get(username="autre-admin")
    assert not user.is_staff
    client = Client()
    client.force_login(user)
    assert client.get("/admin/").status_code == 302  # to the admin login, not « aucune permission »


@pytest.mark.django_db
def test_the_history_page_lists_changes_in_few_queries(
    alice: User, bob: User, nadia: User, htmx, django_assert_num_queries
) -> None:
    admin = logged_in(nadia)
    for user in (alice, bob):
        admin.post(f"/comptes/personnes/{user.pk}/roles/", {"roles": ["catalyseur", "elu"]})
    admin.get("/comptes/personnes/historique/")
    # session, user, role, content type (cached after), count, page of entries with their authors
    with django_assert_num_queries(5):
        html = ok(admin.get("/comptes/personnes/historique/")).content.decode()
    assert html.count("Rôles : Catalyseur·rice → Catalyseur·rice, Élu·e") == 2
    # Its pages are plain links (no swap): an HTMX request gets the whole page.
    page = admin.get("/comptes/personnes/historique/", headers=htmx).content.decode()
    assert "<html" in page and 'id="history"' in page
