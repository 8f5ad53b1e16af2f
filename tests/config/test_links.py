from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import User

from config.links import LinkError, Purpose, check_link_token, make_link_token


def _inactive(username: str = "nouvelle", *, usable: bool = True) -> User:
    user = User(username=username, email=f"{username}@exemple.fr", is_active=False)
    if usable:
        user.set_password("Un-mot-de-passe-solide-2026")
    else:
        user.set_unusable_password()
    user.save()
    return user


@pytest.mark.django_db
def test_a_link_names_its_user() -> None:
    user = _inactive()
    token = make_link_token(user, Purpose.SIGNUP)
    assert check_link_token(token, Purpose.SIGNUP) == user


@pytest.mark.django_db
def test_a_link_is_refused_once_used() -> None:
    user = _inactive()
    token = make_link_token(user, Purpose.SIGNUP)
    user.is_active = True
    user.save()
    with pytest.raises(LinkError, match="déjà été utilisé"):
        check_link_token(token, Purpose.SIGNUP)


@pytest.mark.django_db
def test_a_link_for_one_purpose_is_not_accepted_for_another() -> None:
    user = _inactive(usable=False)
    token = make_link_token(user, Purpose.SIGNUP)
    with pytest.raises(LinkError, match="n'est pas valide"):
        check_link_token(token, Purpose.INVITATION)


@pytest.mark.django_db
def test_an_expired_link_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    user = _inactive()
    now = time.time()
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: now - 49 * 3600)  # signed 49 h ago (limit: 48 h)
        token = make_link_token(user, Purpose.SIGNUP)
    with pytest.raises(LinkError, match="expiré"):
        check_link_token(token, Purpose.SIGNUP)


@pytest.mark.django_db
def test_a_tampered_or_truncated_link_is_invalid() -> None:
    user = _inactive()
    token = make_link_token(user, Purpose.SIGNUP)
    for bad in (token[:-3], token + "x", "n-importe-quoi", ""):
        with pytest.raises(LinkError, match="n'est pas valide"):
            check_link_token(bad, Purpose.SIGNUP)


@pytest.mark.django_db
def test_a_link_to_a_deleted_user_is_invalid() -> None:
    user = _inactive()
    token = make_link_token(user, Purpose.SIGNUP)
    user.delete()
    with pytest.raises(LinkError, match="n'est pas valide"):
        check_link_token(token, Purpose.SIGNUP)


def test_a_data_link_carries_its_data_for_its_purpose_only(settings: object) -> None:
    """A link naming no account (a dialogue's personal link): signed, expiring, purpose-bound."""
    from config.links import check_data_token, make_data_token

    token = make_data_token({"d": 3, "i": 7}, Purpose.DIALOGUE)
    assert check_data_token(token, Purpose.DIALOGUE) == {"d": 3, "i": 7}
    with pytest.raises(LinkError) as other:
        check_data_token(token, Purpose.INVITATION)
    assert other.value.code == "link_invalid"
    with pytest.raises(LinkError):
        check_data_token(token[:-3] + "abc", Purpose.DIALOGUE)
    settings.INVITATION_LINK_MAX_AGE_DAYS = -1  # type: ignore[attr-defined]  # already past
    with pytest.raises(LinkError) as expired:
        check_data_token(token, Purpose.DIALOGUE)
    assert expired.value.code == "link_expired"


def test_a_lasting_data_link_never_expires() -> None:
    from config.links import check_lasting_data_token, make_lasting_data_token

    token = make_lasting_data_token({"d": 1, "i": 2}, Purpose.DIALOGUE_REMINDERS_STOP)
    assert check_lasting_data_token(token, Purpose.DIALOGUE_REMINDERS_STOP) == {"d": 1, "i": 2}
    with pytest.raises(LinkError):
        check_lasting_data_token(token, Purpose.CAMPAIGN_REMINDERS_STOP)
