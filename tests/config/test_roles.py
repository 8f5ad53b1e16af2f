from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.core.management import call_command

from config.roles import Role, has_role, user_roles


@pytest.mark.django_db
def test_each_persona_holds_its_role(alice: User, nadia: User, elise: User) -> None:
    assert user_roles(alice) == [Role.CATALYST]
    assert user_roles(nadia) == [Role.NETWORK_ADMIN]
    assert user_roles(elise) == [Role.OFFICIAL]
    assert not has_role(alice, Role.NETWORK_ADMIN)


@pytest.mark.django_db
def test_create_network_admin_without_createsuperuser(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("create_network_admin", "premiere-admin", "--email", "admin@reseau.fr")
    out = capsys.readouterr().out
    assert "Mot de passe initial" in out
    user = User.objects.get(username="premiere-admin")
    assert has_role(user, Role.NETWORK_ADMIN) and not user.is_staff
    password = out.split("Mot de passe initial : ")[1].split()[0]
    assert user.check_password(password)
    # In the people history, like any account created from the platform's pages.
    entry = LogEntry.objects.get(object_id=str(user.pk))
    assert (
        entry.change_message == "Compte créé en ligne de commande : Administrateur·rice du réseau"
    )
    call_command("create_network_admin", "premiere-admin")
    assert LogEntry.objects.filter(object_id=str(user.pk)).count() == 1
