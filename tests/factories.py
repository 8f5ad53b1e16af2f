"""The one place tests build data: a small, real-coded geography (the full one is loaded only
where a test needs it) and submitted assessments, always through the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, User

from config.roles import Role
from pratiques import services
from pratiques.models import Assessment, GridVersion, Practice
from pratiques.services import AnswerData
from territoires.models import ActorProfile, Engineering, Level, Territory


@dataclass
class MiniGeography:
    france: Territory
    idf: Territory
    ara: Territory
    val_de_marne: Territory
    loire: Territory
    grand_paris: Territory
    st_etienne_metropole: Territory
    vincennes: Territory
    saint_mande: Territory
    saint_etienne: Territory
    firminy: Territory
    small_commune: Territory


def territory(
    level: Level, code: str, name: str, population: int | None, **parents: Territory
) -> Territory:
    return Territory.objects.create(
        level=level, code=code, name=name, population=population, **parents
    )


def mini_geography() -> MiniGeography:
    france = territory(Level.COUNTRY, "FR", "France", 68_000_000)
    idf = territory(Level.REGION, "11", "Île-de-France", 12_271_794)
    ara = territory(Level.REGION, "84", "Auvergne-Rhône-Alpes", 8_114_361)
    vdm = territory(Level.DEPARTEMENT, "94", "Val-de-Marne", 1_425_326, region=idf)
    loire = territory(Level.DEPARTEMENT, "42", "Loire", 771_634, region=ara)
    mgp = territory(
        Level.EPCI, "200054781", "Métropole du Grand Paris", 7_115_576, region=idf, departement=vdm
    )
    sem = territory(
        Level.EPCI, "244200770", "Saint-Étienne Métropole", 407_700, region=ara, departement=loire
    )
    vincennes = Territory.objects.create(
        level=Level.COMMUNE,
        code="94080",
        name="Vincennes",
        population=48_193,
        region=idf,
        departement=vdm,
        epci=mgp,
        postal_codes="94300",
    )
    saint_mande = Territory.objects.create(
        level=Level.COMMUNE,
        code="94067",
        name="Saint-Mandé",
        population=21_071,
        region=idf,
        departement=vdm,
        epci=mgp,
        postal_codes="94160",
    )
    saint_etienne = Territory.objects.create(
        level=Level.COMMUNE,
        code="42218",
        name="Saint-Étienne",
        population=173_136,
        region=ara,
        departement=loire,
        epci=sem,
        postal_codes="42000 42100 42230",
    )
    firminy = Territory.objects.create(
        level=Level.COMMUNE,
        code="42095",
        name="Firminy",
        population=16_817,
        region=ara,
        departement=loire,
        epci=sem,
        postal_codes="42700",
    )
    small = Territory.objects.create(
        level=Level.COMMUNE,
        code="42001",
        name="Aboën",
        population=512,
        region=ara,
        departement=loire,
        epci=sem,
        postal_codes="42380",
    )
    return MiniGeography(
        france,
        idf,
        ara,
        vdm,
        loire,
        mgp,
        sem,
        vincennes,
        saint_mande,
        saint_etienne,
        firminy,
        small,
    )


# --- assessments -------------------------------------------------------------------------------


def catalyst(username: str, *, vouched: bool = True, **fields: Any) -> User:
    """A catalyst without a password (hashing one per person would dominate a test's time);
    ``vouched``: an established person (the network vouched for them), counted in figures."""
    from pratiques.models import Vouch

    user = User.objects.create(username=username, **fields)
    user.groups.add(Group.objects.get(name=Role.CATALYST.value))
    if vouched:
        Vouch.objects.create(user=user, source="invitation")
    return user


def version_practices(version: GridVersion | None = None) -> list[Practice]:
    """The practices of ``version`` (default: the published one) in the order of the grid."""
    practices = (
        Practice.objects.filter(version=version)
        if version is not None
        else Practice.objects.filter(version__status="published")
    )
    return list(
        practices.select_related("situation__axis").order_by("situation__order", "order", "code")
    )


def submitted_assessment(
    user: User,
    territory: Territory,
    answer: Callable[[int, Practice], AnswerData | None],
    *,
    consent: bool = True,
    share: bool = False,
    version: GridVersion | None = None,
    profile: str = "ingenieries",
    engineerings: tuple[str, ...] = ("catalyse-territoriale",),
    **start: Any,
) -> Assessment:
    """A submitted assessment built as a person builds one: ``assessment_start``, one
    ``answer_save`` per practice (``answer(index, practice)``, None leaves it unanswered), then
    ``assessment_submit``, which computes the scores and gives the pseudonym."""
    assessment = services.assessment_start(
        user=user,
        territory=territory,
        actor_profile=ActorProfile.objects.get(code=profile),
        engineerings=list(Engineering.objects.filter(code__in=engineerings)),
        version=version,
        **start,
    )
    for index, practice in enumerate(version_practices(assessment.version)):
        data = answer(index, practice)
        if data is not None:
            services.answer_save(
                assessment_id=assessment.pk, user_id=user.pk, practice_id=practice.pk, data=data
            )
    return services.assessment_submit(
        assessment_id=assessment.pk,
        user=user,
        consent_statistics=consent,
        share_with_organisation=share,
    )


def months_later(months: int = 1) -> Any:
    """A moment ``months`` calendar months after now (the 2nd at noon, Paris): releases are at
    most monthly, so a test's next release happens then."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    now = timezone.localtime()
    index = now.month - 1 + months
    return datetime(now.year + index // 12, index % 12 + 1, 2, 12, tzinfo=ZoneInfo("Europe/Paris"))


# --- territorial dialogues ---------------------------------------------------------------------


def official_with_mandate(user: User, territory: Territory, *, status: str = "confirme") -> User:
    """``user`` with a mandate on ``territory`` (confirmed unless told otherwise)."""
    from territoires.models import Mandate

    Mandate.objects.create(user=user, territory=territory, status=status)
    return user


def open_dialogue(
    organiser: User, territory: Territory, *, title: str = "Croiser les regards", **dates: Any
) -> Any:
    """A dialogue on ``territory``, opened today (answers accepted) through the services."""
    from datetime import timedelta

    from django.utils import timezone

    from observatoire.dialogues import services as dialogues

    today = timezone.localdate()
    dialogue = dialogues.dialogue_create(
        user=organiser,
        territory=territory,
        title=title,
        introduction="Comment percevez-vous les fragilités de notre territoire ?",
        opens_on=dates.get("opens_on", today - timedelta(days=1)),
        closes_on=dates.get("closes_on", today + timedelta(days=30)),
    )
    return dialogues.dialogue_open(dialogue_id=dialogue.pk)


def dialogue_answer(
    dialogue: Any,
    *,
    profile: str = "associations",
    commune: Territory,
    levels: dict[int, int | None] | None = None,
    priorities: int = 3,
    submit: bool = True,
    invitee: Any = None,
) -> Any:
    """A respondent's answer built through the services: the open link (or ``invitee``'s
    personal link), a level for each fragility (index → level), ``priorities`` priorities."""
    from observatoire.dialogues import services as dialogues
    from territoires.models import Fragility

    profile_row = ActorProfile.objects.get(code=profile)
    if invitee is not None:
        response = dialogues.response_start_invited(invitee_id=invitee.pk)
        dialogues.identity_save(response_id=response.pk, actor_profile=profile_row, commune=commune)
    else:
        response = dialogues.response_start_open(
            dialogue_id=dialogue.pk, actor_profile=profile_row, commune=commune
        )
    fragilities = list(Fragility.objects.order_by("order", "label"))
    for index, fragility in enumerate(fragilities):
        level = (levels or {}).get(index, index % 4)
        dialogues.perception_save(
            response_id=response.pk,
            fragility_id=fragility.pk,
            level=level,
            is_priority=index < priorities,
        )
    if submit:
        response = dialogues.response_submit(response_id=response.pk)
    return response
