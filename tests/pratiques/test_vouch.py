"""The vouch services (who counts): record once, withdraw."""

from __future__ import annotations

import pytest

from config.refusals import Refused
from pratiques import services
from pratiques.models import Assessment, Vouch, VouchSource, established

pytestmark = pytest.mark.django_db


def test_it_vouches_once_and_keeps_the_first_source(alice, nadia) -> None:
    first = services.vouch_record(user=alice, source=VouchSource.APPROVAL, by=nadia)
    again = services.vouch_record(user=alice, source=VouchSource.CAMPAIGN)
    assert first.pk == again.pk and again.source == VouchSource.APPROVAL
    assert again.vouched_by == nadia
    assert list(type(alice).objects.filter(established(""))) == [alice]


def test_it_refuses_an_unknown_source(alice) -> None:
    with pytest.raises(Refused):
        services.vouch_record(user=alice, source="autre")
    assert not Vouch.objects.exists()


def test_it_withdraws(alice) -> None:
    services.vouch_record(user=alice, source=VouchSource.INVITATION)
    assert services.vouch_withdraw(user=alice) is True
    assert services.vouch_withdraw(user=alice) is False
    assert not Assessment.objects.filter(established()).exists()
