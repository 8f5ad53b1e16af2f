"""Reads of campaigns: the live follow-up (a fixed number of queries) and a catalyst's list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from pratiques.campaigns.disclosure import Disclosed, campaign_disclosure
from pratiques.models import (
    AssessmentStatus,
    Campaign,
    CampaignMessage,
    Invitee,
    InviteeSource,
    MessageKind,
    established,
)

# A validation counts only when its author is established: an account anyone can create never
# moves a figure shown to others (it still sees its own results).
SUBMITTED = Q(assessment__status=AssessmentStatus.SUBMITTED) & established("user")
# The people a group counts: the imported population (named by an admin), and established others.
COUNTED = Q(source=InviteeSource.IMPORT) | established("user")


@dataclass
class Segment:
    label: str
    people: Disclosed
    respondents: Disclosed


@dataclass
class FollowUp:
    invited: int
    reached: int  # invitation sent
    started: int
    submitted: int
    stopped: int
    invitations_sent: int
    reminders_sent: int
    unsent: int
    over_time: list[tuple[date, int, int]] = field(default_factory=list)  # week, new, cumulative
    breakdowns: list[tuple[str, list[Segment]]] = field(default_factory=list)
    not_counted: int = 0  # validations by people not established: in no figure

    @property
    def waiting(self) -> int:
        """People without a counted validation: a count only, never who they are."""
        return self.invited - self.submitted

    @property
    def rate(self) -> int:
        return round(100 * self.submitted / self.invited) if self.invited else 0


def follow_up(campaign: Campaign) -> FollowUp:
    invitees = Invitee.objects.filter(campaign=campaign)
    totals = invitees.aggregate(
        invited=Count("pk"),
        started=Count("pk", filter=Q(assessment__isnull=False)),
        submitted=Count("pk", filter=SUBMITTED),
        stopped=Count("pk", filter=Q(reminders_stopped_at__isnull=False)),
        all_submitted=Count("pk", filter=Q(assessment__status=AssessmentStatus.SUBMITTED)),
    )
    messages = CampaignMessage.objects.filter(invitee__campaign=campaign).aggregate(
        invitations=Count("pk", filter=Q(kind=MessageKind.INVITATION, sent_at__isnull=False)),
        reminders=Count("pk", filter=Q(kind=MessageKind.REMINDER, sent_at__isnull=False)),
        unsent=Count("pk", filter=Q(sent_at__isnull=True)),
    )
    result = FollowUp(
        invited=totals["invited"],
        reached=messages["invitations"],
        started=totals["started"],
        submitted=totals["submitted"],
        stopped=totals["stopped"],
        invitations_sent=messages["invitations"],
        reminders_sent=messages["reminders"],
        unsent=messages["unsent"],
        not_counted=totals["all_submitted"] - totals["submitted"],
    )
    days = (
        invitees.filter(SUBMITTED)
        .annotate(day=TruncWeek("assessment__submitted_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    # Answers given before the opening (an adopted earlier draft) count in the first week.
    first_week = campaign.opens_on - timedelta(days=campaign.opens_on.weekday())
    weeks: dict[date, int] = {}
    for row in days:
        week = max(row["day"].date(), first_week)
        weeks[week] = weeks.get(week, 0) + row["n"]
    cumulative = 0
    for week, count in weeks.items():
        cumulative += count
        result.over_time.append((week, count, cumulative))
    for title, path in (
        ("Taille de territoire", "size_segment__label"),
        ("Profil d'acteur", "actor_profile__label"),
        ("Ingénierie", "engineerings__label"),
        ("Région", "region__name"),
    ):
        result.breakdowns.append((title, _breakdown(invitees.filter(COUNTED), path)))
    return result


def _breakdown(invitees: Any, path: str) -> list[Segment]:
    rows = (
        invitees.values(path)
        .annotate(
            people=Count("pk", distinct=True),
            respondents=Count("pk", distinct=True, filter=SUBMITTED),
        )
        .order_by(path)
    )
    segments = []
    for row in rows:
        people = row["people"]
        shown = campaign_disclosure(people)
        respondents = (
            campaign_disclosure(row["respondents"], people)
            if shown.shown
            else campaign_disclosure(0)
        )
        segments.append(Segment(row[path] or "non renseigné", shown, respondents))
    return segments


@dataclass
class MyCampaign:
    invitee: Invitee
    status: str


def my_campaigns(user: User) -> list[MyCampaign]:
    rows = []
    for invitee in (
        Invitee.objects.filter(user=user)
        .select_related("campaign", "assessment")
        .order_by("-campaign__opens_on")
    ):
        assessment = invitee.assessment
        if assessment is not None and assessment.status == AssessmentStatus.SUBMITTED:
            status = "validée"
        elif invitee.campaign.is_closed or not invitee.campaign.accepts_answers():
            status = "close"
        elif assessment is not None:
            status = "en cours"
        else:
            status = "invité·e"
        rows.append(MyCampaign(invitee, status))
    return rows
