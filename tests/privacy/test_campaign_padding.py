"""Attack 3 of issue 23: pad a campaign through its open link, then read its export and report.

Four accounts the attacker created join the campaign through its open link and answer with
answers the attacker knows; the target (invited, confirmed through their personal link) validates
— once with the statistics consent unticked, once ticked. The campaign closes; an admin reads the
anonymised export and the report's percentages (the real views) and subtracts the padding.
« Recovered » as the suite defines it (`attack.RECOVERED_AT` of 24 practices' carrying and
« à développer »); the best attempt is reported.
"""

from __future__ import annotations

import csv
import io
import random
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from pratiques.campaigns.population import population_import
from pratiques.campaigns.sending import campaign_messages_run
from pratiques.models import Answer, Invitee, Practice
from pratiques.services import AnswerData, answer_save
from territoires.models import ActorProfile, Engineering
from tests.conftest import logged_in
from tests.pratiques.campaign_helpers import link_for, make_campaign
from tests.privacy import attack

pytestmark = pytest.mark.django_db

PADDING = 4
TARGET = "cible@exemple.fr"


def _answers(seed: int) -> dict[int, AnswerData]:
    rng = random.Random(seed)
    return {
        practice.pk: AnswerData(
            frequency=rng.randint(1, 3),
            involvement=rng.randint(1, 4),
            carrying=rng.choice([1, 2, 3, None]),
            wants_to_develop=rng.random() < 0.4,
        )
        for practice in Practice.objects.filter(version__status="published").order_by("pk")
    }


def _fill_and_submit(client: Client, user: User, invitee: Invitee, seed: int, consent: bool):
    assessment = invitee.assessment
    for practice_id, data in _answers(seed).items():
        answer_save(
            assessment_id=assessment.pk, user_id=user.pk, practice_id=practice_id, data=data
        )
    # A browser always posts the CSRF field: the form is bound even with nothing ticked.
    form = {"consent_statistics": "on"} if consent else {"share_with_organisation": ""}
    response = client.post(f"/pratiques/evaluations/{assessment.pk}/valider/", form)
    assert response.status_code == 302, response.status_code


def _truth(user: User) -> dict[str, tuple[Any, bool]]:
    """The target's answers, whatever their consent (the suite's ``truth`` reads consenting ones)."""
    result: dict[str, tuple[Any, bool]] = {}
    for code, frequency, carrying, develop in Answer.objects.filter(
        assessment__user=user, assessment__status="submitted"
    ).values_list("practice__code", "frequency", "carrying", "wants_to_develop"):
        result[code] = (attack.CARRYING.get(carrying), bool(develop)) if frequency else (None, 0)
    return result


def _export_rows(text: str) -> list[dict[str, str]]:
    lines = [line for line in text.lstrip("\ufeff").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"))


def _row_guess(row: dict[str, str], codes: list[str]) -> dict[str, tuple[Any, bool]]:
    guessed = {}
    for code in codes:
        carrying = row.get(f"{code} portage") or ""
        guessed[code] = (
            attack.CARRYING.get(int(carrying)) if carrying.isdigit() else None,
            row.get(f"{code} à développer") == "oui",
        )
    return guessed


REPORT_ROW = re.compile(
    r'<th scope="row" class="practice-name">(\d+\.\d+) [^<]*</th><td>([^<]*)</td>'
    r"((?:<td>\d+ %</td>){5})((?:<td>\d+ %</td>){3})?"
)
RESPONDENTS = re.compile(r"<strong>(\d+)</strong> auto-évaluations validées")
DEVELOP = re.compile(r"<li>(\d+\.\d+) [^<]*— (\d+) %</li>")


def _report_guess(html: str, own: dict[str, dict[str, float]], codes: list[str]) -> Any:
    """Published shares × published size − what the attacker knows of their padding."""
    respondents = RESPONDENTS.search(html)
    if respondents is None:
        return None
    people = int(respondents.group(1))
    counts: dict[str, dict[str, float]] = {}
    for code, answered, _frequencies, carrying in REPORT_ROW.findall(html):
        shares = [int(v) for v in re.findall(r"(\d+) %", carrying)] if carrying else [0, 0, 0]
        total = people if answered.isdigit() else 0
        counts[code] = {c: s * total / 100 for c, s in zip(attack.CELLS[:3], shares, strict=True)}
    for code, share in DEVELOP.findall(html):
        counts.setdefault(code, {})["develop"] = int(share) * people / 100
    return attack.guess(attack.subtract(counts, own), codes)


@pytest.mark.parametrize("consent", [False, True], ids=["consent-refused", "consent-given"])
def test_a_campaign_padded_through_its_open_link_gives_nobody_away(
    geo, nadia: User, consent: bool
) -> None:
    campaign = make_campaign(open_registration=True)
    profile = ActorProfile.objects.get(code="ingenieries")
    engineering = Engineering.objects.get(code="catalyse-territoriale")
    # The target: invited with the campaign's population, confirms through their personal link.
    line = f"{TARGET};Cécile;Cible;;ingenieries;94080;catalyse-territoriale"
    population_import(
        campaign=campaign,
        data=f"email;prenom;nom;organisation;profil;territoire;ingenieries\n{line}\n".encode(),
        file_name="population.csv",
    )
    campaign_messages_run(campaign_id=campaign.pk)
    target_client = Client()
    link = link_for(TARGET)
    target_client.get(link)
    if "_auth_user_id" not in target_client.session:  # the link may ask for a button
        target_client.post(link)
    target_invitee = Invitee.objects.select_related("assessment", "user").get(email=TARGET)
    assert target_invitee.assessment is not None
    # The padding: four accounts through the open link, same context as the target.
    padding = [attack.sybil(f"padding{i}") for i in range(PADDING)]  # signed up, never vouched
    for i, user in enumerate(padding):
        client = logged_in(user)
        response = client.post(
            f"/pratiques/campagnes/participer/{campaign.open_code}/",
            {
                "territory": "commune:94080",
                "actor_profile": profile.pk,
                "engineerings": [engineering.pk],
            },
        )
        assert response.status_code == 302
        invitee = Invitee.objects.select_related("assessment").get(campaign=campaign, user=user)
        _fill_and_submit(client, user, invitee, seed=100 + i, consent=True)
    _fill_and_submit(target_client, target_invitee.user, target_invitee, seed=7, consent=consent)

    admin = logged_in(nadia)
    assert admin.post(f"/pratiques/campagnes/{campaign.pk}/cloturer/").status_code == 302
    export = admin.get(f"/pratiques/campagnes/{campaign.pk}/export-anonyme.csv")
    report = admin.get(f"/pratiques/campagnes/{campaign.pk}/rapport/")
    assert export.status_code == 200 and report.status_code == 200

    true = _truth(target_invitee.user)
    codes = sorted(true)
    own_rows = [_truth(user) for user in padding]
    own: dict[str, dict[str, float]] = {}
    for answers in own_rows:
        for code, (carrying, develop) in answers.items():
            cells = own.setdefault(code, dict.fromkeys(attack.CELLS, 0.0))
            if carrying:
                cells[carrying] += 1
            cells["develop"] += develop

    attempts: list[int] = []
    # 1. The export: every row that is not one of the padding's answers is the target's.
    for row in _export_rows(export.content.decode("utf-8")):
        guessed = _row_guess(row, codes)
        if any(attack.matches(guessed, mine) == len(codes) for mine in own_rows):
            continue
        attempts.append(attack.matches(guessed, true))
    # 2. The report: published shares × published size − the padding's own counts.
    from_report = _report_guess(report.content.decode(), own, codes)
    if from_report is not None:
        attempts.append(attack.matches(from_report, true))
    best = max(attempts, default=0)
    recovered = sum(1 for score in attempts if score >= attack.RECOVERED_AT)
    print(
        f"\ncampaign padding ({'consent' if consent else 'no consent'}): "
        f"{len(attempts)} attempts, {recovered} recovered, best {best}/{len(codes)}"
    )
    assert recovered == 0
