"""A campaign of N invitees (5 000 by default): import, sending, follow-up page, closing.

Everything runs inside a transaction rolled back at the end; e-mails go to the locmem backend
(the console backend would print 5 000 messages). A quarter of the people answer before closing.
Usage: .venv/bin/python bench/bench_campaign.py [N]
"""

from __future__ import annotations

import os
import sys
import time
from datetime import timedelta

import _setup  # noqa: F401  (django.setup)
from _setup import Rollback
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.roles import Role
from pratiques.campaigns.population import population_import
from pratiques.campaigns.sending import campaign_messages_run
from pratiques.campaigns.services import campaign_close
from pratiques.models import Answer, Assessment, Campaign, GridVersion, Invitee, Practice
from territoires.models import Engineering, Level, Territory

PROFILES = ["collectivites-territoriales", "ingenieries", "associations", "institutions"]


def population(n: int, codes: list[str], engineering: str) -> bytes:
    lines = ["email;prenom;nom;organisation;profil;territoire;ingenieries"]
    for i in range(n):
        lines.append(
            f"banc{i:05d}@exemple.fr;Prénom{i};Nom{i};Organisation {i % 40};"
            f"{PROFILES[i % len(PROFILES)]};{codes[i % len(codes)]};{engineering}"
        )
    return ("\n".join(lines) + "\n").encode()


def timed(label: str, results: dict, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    results[label] = time.perf_counter() - start
    print(f"{label:<34} {results[label]:7.2f} s")
    return value


def main(n: int) -> None:
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    mail.outbox = []
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores); {n} invitees")
    results: dict[str, float] = {}
    try:
        with transaction.atomic():
            codes = list(
                Territory.objects.filter(level=Level.COMMUNE, population__isnull=False)
                .order_by("code")
                .values_list("code", flat=True)[:400]
            )
            if not codes:
                sys.exit("Pas de communes : lancez d'abord manage.py setup_platform.")
            version = GridVersion.objects.current()
            today = timezone.localdate()
            campaign = Campaign.objects.create(
                title="Banc d'essai",
                version=version,
                opens_on=today - timedelta(days=1),
                closes_on=today + timedelta(days=30),
                invitation_text="Bonjour",
                reminder_text="Relance",
            )
            data = population(n, codes, Engineering.objects.first().code)
            result = timed(
                "import (parse + write)",
                results,
                population_import,
                campaign=campaign,
                data=data,
                file_name="banc.csv",
            )
            assert result.created == n
            sent = timed(
                "invitations (plan + send)", results, campaign_messages_run, campaign_id=campaign.pk
            )
            assert sent == n and len(mail.outbox) == n, (sent, len(mail.outbox))
            # A quarter answer (bulk, as the autosave path is measured elsewhere).
            practices = list(Practice.objects.filter(version=version))
            people = list(
                Invitee.objects.filter(campaign=campaign).select_related("user")[: n // 4]
            )
            User.objects.filter(pk__in=[p.user_id for p in people]).update(is_active=True)
            assessments = Assessment.objects.bulk_create(
                [
                    Assessment(
                        user_id=p.user_id,
                        version=version,
                        territory_id=p.territory_id,
                        actor_profile_id=p.actor_profile_id,
                        status="submitted",
                        submitted_at=timezone.now(),
                        region_id=p.region_id,
                        size_segment_id=p.size_segment_id,
                    )
                    for p in people
                ]
            )
            for person, assessment in zip(people, assessments, strict=True):
                person.assessment = assessment
            Invitee.objects.bulk_update(people, ["assessment"], batch_size=2000)
            Answer.objects.bulk_create(
                [
                    Answer(assessment=a, practice=p, frequency=(a.pk + p.pk) % 4, involvement=2)
                    for a in assessments
                    for p in practices
                ],
                batch_size=5000,
            )
            admin = User.objects.create(username="bench-campaign-admin", is_staff=True)
            admin.groups.add(Group.objects.get(name=Role.NETWORK_ADMIN.value))
            client = Client()
            client.force_login(admin)
            client.get(f"/pratiques/campagnes/{campaign.pk}/")
            timings = []
            with CaptureQueriesContext(connection) as queries:
                for _ in range(5):
                    start = time.perf_counter()
                    response = client.get(f"/pratiques/campagnes/{campaign.pk}/")
                    timings.append(time.perf_counter() - start)
            assert response.status_code == 200
            results["follow-up page (median of 5)"] = sorted(timings)[2]
            print(
                f"{'follow-up page (median of 5)':<34} {sorted(timings)[2]:7.2f} s "
                f"({len(queries) // 5} queries per page)"
            )
            later = today + timedelta(days=7)
            from pratiques.campaigns.sending import messages_plan, messages_send

            timed(
                "reminders day 7 (plan + send)",
                results,
                lambda: (
                    messages_plan(campaign=campaign, today=later)
                    + messages_send(campaign_id=campaign.pk)
                ),
            )
            print(f"{'':34} {len(mail.outbox) - n} reminders sent")
            snapshot = timed("closing (snapshot)", results, campaign_close, campaign_id=campaign.pk)
            assert len(snapshot.records) == n // 4
            raise Rollback
    except Rollback:
        pass
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
