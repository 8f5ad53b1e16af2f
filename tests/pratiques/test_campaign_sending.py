from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from pratiques.campaigns import sending
from pratiques.campaigns.sending import campaign_messages_run
from pratiques.models import CampaignMessage, Invitee, MessageKind
from tests.conftest import committed
from tests.pratiques.campaign_helpers import invited, link_for, make_campaign, with_population
from tests.pratiques.helpers import answer_all

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_each_person_gets_one_invitation_with_a_personal_link(geo) -> None:
    campaign = invited(make_campaign(), 10)
    assert len(mail.outbox) == 10
    message = mail.outbox[0]
    assert message.subject == "Invitation : Étude 2026"
    assert "répondez à l'étude du réseau" in message.body
    assert "/pratiques/campagnes/rejoindre/" in message.body
    assert "/pratiques/campagnes/relances/" in message.body
    # Running again (a second worker, a cron after a crash) sends nothing twice.
    assert campaign_messages_run(campaign_id=campaign.pk) == 0
    assert len(mail.outbox) == 10
    assert CampaignMessage.objects.filter(sent_at__isnull=False).count() == 10
    # Newcomers get a pending catalyst account (inactive, no password) the link activates.
    person = Invitee.objects.select_related("user").get(email="personne0000@exemple.fr")
    assert person.user is not None and not person.user.is_active
    assert not person.user.has_usable_password()


def test_claimed_rows_are_never_sent_again_and_a_refusal_releases_them(geo, monkeypatch) -> None:
    campaign = with_population(make_campaign(), 3)
    sending.messages_plan(campaign=campaign)

    class Refusing:
        def __enter__(self) -> Refusing:
            return self

        def __exit__(self, *args: object) -> None:
            return None

        def send_messages(self, messages: list) -> int:
            raise ConnectionRefusedError("serveur de courrier injoignable")

    monkeypatch.setattr(sending, "_mailer", lambda: Refusing())
    with pytest.raises(ConnectionRefusedError):
        sending.messages_send(campaign_id=campaign.pk)
    rows = CampaignMessage.objects.all()
    assert all(r.sent_at is None and "injoignable" in r.error for r in rows)
    monkeypatch.undo()
    assert sending.messages_send(campaign_id=campaign.pk) == 3
    assert len(mail.outbox) == 3


def test_reminders_go_only_to_those_who_have_not_submitted(geo, client) -> None:
    campaign = invited(make_campaign(), 4)
    a, b, c, d = Invitee.objects.filter(campaign=campaign).order_by("email")
    # a submitted, b started only, c stopped reminders, d did nothing.
    client.post(link_for(a.email))
    a.refresh_from_db()
    answer_all(a.assessment, 2, 2)
    response = client.post(
        f"/pratiques/evaluations/{a.assessment.pk}/valider/", {"consent_statistics": "on"}
    )
    assert response.status_code == 302
    client.post(link_for(b.email))
    client.post(link_for(c.email, STOP_PATTERN))
    mail.outbox.clear()
    later = timezone.localdate() + timedelta(days=7)
    sending.messages_plan(campaign=campaign, today=later)
    sending.messages_send(campaign_id=campaign.pk)
    assert sorted(m.to[0] for m in mail.outbox) == [b.email, d.email]
    assert all(m.subject.startswith("Relance") for m in mail.outbox)
    # The same reminder is not planned twice; the next one waits for its date.
    assert sending.messages_plan(campaign=campaign, today=later) == 0
    assert sending.messages_plan(campaign=campaign, today=later + timedelta(days=7)) == 2
    assert CampaignMessage.objects.filter(kind=MessageKind.REMINDER).count() == 4


from tests.pratiques.campaign_helpers import STOP as STOP_PATTERN  # noqa: E402


def test_nothing_is_sent_before_opening_or_after_closing(geo) -> None:
    future = make_campaign(opens_on=timezone.localdate() + timedelta(days=3))
    with_population(future, 2)
    assert campaign_messages_run(campaign_id=future.pk) == 0 and mail.outbox == []


@override_settings(TASKS=IMMEDIATE)
def test_the_send_button_runs_the_task(nadia, geo) -> None:
    from tests.conftest import committed, logged_in

    campaign = with_population(make_campaign(), 2)
    with committed():
        response = logged_in(nadia).post(f"/pratiques/campagnes/{campaign.pk}/envoyer/")
    assert response.status_code == 302 and len(mail.outbox) == 2


def test_the_command_runs_inline(geo) -> None:
    import io

    from django.core.management import call_command

    campaign = with_population(make_campaign(), 2)
    out = io.StringIO()
    call_command("campaign_send", "--campagne", str(campaign.pk), stdout=out)
    assert "2 message(s) envoyé(s)" in out.getvalue()


def test_the_stop_link_asks_before_stopping(geo, client) -> None:
    invited(make_campaign(), 1)
    path = link_for("personne0000@exemple.fr", STOP_PATTERN)
    page = client.get(path)
    assert page.status_code == 200 and "Arrêter les relances" in page.content.decode()
    assert (
        Invitee.objects.get().reminders_stopped_at is None
    )  # a GET (mail scanner) changes nothing
    assert client.post(path).status_code == 200
    assert Invitee.objects.get().reminders_stopped_at is not None
    assert client.post(path[:-4] + "zzz/").status_code == 400


@pytest.mark.django_db(transaction=True)
def test_two_senders_never_claim_the_same_row() -> None:
    import threading

    from django.db import connection, transaction

    from tests.factories import mini_geography

    mini_geography()
    campaign = with_population(make_campaign(), 4)
    sending.messages_plan(campaign=campaign)
    locked = threading.Event()
    release = threading.Event()

    def other_worker() -> None:
        # Another worker holds a claim on two rows while this one runs.
        with transaction.atomic():
            rows = list(
                CampaignMessage.objects.select_for_update(skip_locked=True).order_by("pk")[:2]
            )
            assert len(rows) == 2
            locked.set()
            release.wait(30)
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    locked.wait(30)
    try:
        assert sending.messages_send(campaign_id=campaign.pk) == 2
    finally:
        release.set()
        thread.join()
    assert len(mail.outbox) == 2
    assert sending.messages_send(campaign_id=campaign.pk) == 2  # the released rows, once
    assert len(mail.outbox) == 4 and len({m.to[0] for m in mail.outbox}) == 4


def test_the_task_schedules_itself_for_the_next_reminder_date(geo, settings) -> None:
    from django_tasks_db.models import DBTaskResult

    from pratiques.campaigns.tasks import campaign_messages_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    campaign = with_population(make_campaign(), 2)
    with committed():
        assert campaign_messages_task.call(campaign.pk) == 2
    scheduled = DBTaskResult.objects.get()
    assert scheduled.task_path.endswith("campaign_messages_task")
    assert timezone.localtime(scheduled.run_after).date() == campaign.reminder_dates()[0]
