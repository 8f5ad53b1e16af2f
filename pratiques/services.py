"""Writes of the pratiques app: start, answer, submit, consent, share, delete (keyword-only, atomic)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from config.refusals import Refused
from pratiques import scoring
from pratiques.models import (
    Answer,
    Assessment,
    AssessmentPseudonym,
    AssessmentScore,
    AssessmentStatus,
    Axis,
    GridVersion,
    Invitee,
    Organisation,
    OrganisationMembership,
    PeerBucket,
    Situation,
    Vouch,
    VouchSource,
)
from pratiques.plan.services import plan_propose, plans_unshare
from pratiques.scoring import assessment_dimensions, compute_scores, peer_groups_of
from territoires.models import ActorProfile, Engineering, Level, SizeSegment, Territory


class AssessmentLocked(Refused):
    """The assessment was submitted: its answers can no longer change."""

    default_code = "assessment_locked"
    default_message = "Cette auto-évaluation est validée : elle ne peut plus changer."


class SubmissionClosed(Refused):
    """The assessment belongs to a campaign that no longer accepts answers."""

    default_code = "submission_closed"
    default_message = (
        "La campagne de cette auto-évaluation est close : elle ne peut plus être validée."
    )


class NoPublishedGrid(Refused):
    default_code = "no_published_grid"
    default_message = "Aucune version de la grille n'est publiée."


class AnswerRejected(Refused):
    """An answer value outside the grid's scale, or a comment too long."""

    default_code = "answer_rejected"


class AssessmentNotFound(Refused, Assessment.DoesNotExist):
    """Not the person's assessment, or the practice is not of its version. Still an
    ``Assessment.DoesNotExist`` for the views that catch that (until they catch ``Refused``)."""

    default_code = "assessment_not_found"
    default_message = "Auto-évaluation ou pratique introuvable."


@dataclass(frozen=True)
class AnswerData:
    not_concerned: bool = False
    frequency: int | None = None
    involvement: int | None = None
    carrying: int | None = None
    wants_to_develop: bool = False
    comment: str = ""

    @property
    def is_empty(self) -> bool:
        return (
            not self.not_concerned
            and self.frequency is None
            and self.involvement is None
            and self.carrying is None
            and not self.wants_to_develop
            and not self.comment
        )


def _choice(raw: str | None, allowed: tuple[int, ...], what: str) -> int | None:
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = -1
    if value not in allowed:
        raise AnswerRejected(
            f"Valeur inconnue pour « {what} » : choisissez l'un des échelons proposés.",
            code="unknown_step",
        )
    return value


def answer_data_from(data: Any, *, practice_id: int) -> AnswerData:
    """Reads the fields of one practice (prefix ``p<id>-``) from a POSTed form."""
    prefix = f"p{practice_id}-"
    raw_frequency = data.get(prefix + "frequency")
    not_concerned = raw_frequency == "nc"
    comment = (data.get(prefix + "comment") or "").strip()
    if len(comment) > 2000:
        raise AnswerRejected(
            "Le commentaire dépasse 2 000 caractères : raccourcissez-le.", code="comment_too_long"
        )
    develop = data.get(prefix + "develop") in ("on", "1", "true")
    if not_concerned:
        return AnswerData(not_concerned=True, wants_to_develop=develop, comment=comment)
    return AnswerData(
        frequency=_choice(raw_frequency, scoring.FREQUENCY_VALUES, "fréquence"),
        involvement=_choice(
            data.get(prefix + "involvement"), scoring.INVOLVEMENT_VALUES, "implication"
        ),
        carrying=_choice(data.get(prefix + "carrying"), scoring.CARRYING_VALUES, "portage"),
        wants_to_develop=develop,
        comment=comment,
    )


def current_version() -> GridVersion:
    version = GridVersion.objects.current()
    if version is None:
        raise NoPublishedGrid
    return version


@transaction.atomic
def assessment_start(
    *,
    user: User,
    territory: Territory,
    actor_profile: ActorProfile,
    engineerings: list[Engineering],
    organisation: Organisation | None = None,
    organisation_name: str = "",
    version: GridVersion | None = None,
    is_demo: bool = False,
) -> Assessment:
    """Starts a draft on the current version; an existing draft is returned instead (one at a time)."""
    existing = Assessment.objects.filter(user=user, status=AssessmentStatus.DRAFT).first()
    if existing is not None:
        return existing
    if organisation is None and organisation_name.strip():
        organisation = Organisation.objects.create(name=organisation_name.strip()[:200])
    if organisation is not None:
        OrganisationMembership.objects.get_or_create(organisation=organisation, user=user)
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                user=user,
                version=version or current_version(),
                territory=territory,
                actor_profile=actor_profile,
                organisation=organisation,
                is_demo=is_demo,
            )
    except IntegrityError:
        # A second tab started one in the meantime: resume it.
        return Assessment.objects.get(user=user, status=AssessmentStatus.DRAFT)
    assessment.engineerings.set(engineerings)
    return assessment


@dataclass(frozen=True)
class SaveResult:
    answered: bool
    progress: int
    total: int


_UPSERT = """
WITH target AS (
    SELECT p.id AS practice_id
    FROM pratiques_practice p
    JOIN pratiques_assessment a ON a.version_id = p.version_id
    WHERE p.id = %(practice)s AND a.id = %(assessment)s AND a.user_id = %(user)s
      AND a.status = 'draft'
    FOR SHARE OF a
), up AS (
    INSERT INTO pratiques_answer (assessment_id, practice_id, not_concerned, frequency, involvement,
                                  carrying, wants_to_develop, comment, updated_at)
    SELECT %(assessment)s, practice_id, %(nc)s, %(frequency)s, %(involvement)s, %(carrying)s,
           %(develop)s, %(comment)s, now()
    FROM target
    ON CONFLICT (assessment_id, practice_id) DO UPDATE SET
        not_concerned = EXCLUDED.not_concerned, frequency = EXCLUDED.frequency,
        involvement = EXCLUDED.involvement, carrying = EXCLUDED.carrying,
        wants_to_develop = EXCLUDED.wants_to_develop, comment = EXCLUDED.comment,
        updated_at = EXCLUDED.updated_at
    RETURNING (not_concerned OR frequency IS NOT NULL) AS answered
)
SELECT (SELECT answered FROM up),
       (SELECT status FROM pratiques_assessment WHERE id = %(assessment)s AND user_id = %(user)s),
       (SELECT count(*) FROM pratiques_answer
         WHERE assessment_id = %(assessment)s AND practice_id <> %(practice)s
           AND (not_concerned OR frequency IS NOT NULL)),
       (SELECT count(*) FROM pratiques_practice
         WHERE version_id = (SELECT version_id FROM pratiques_assessment WHERE id = %(assessment)s))
"""


def answer_save(
    *, assessment_id: int, user_id: int, practice_id: int, data: AnswerData
) -> SaveResult:
    """One race-free statement: upsert on UNIQUE(assessment, practice) and the new progress.

    Raises AssessmentNotFound (not the author's, or the practice is not of its version) or
    AssessmentLocked (submitted).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT,
            {
                "assessment": assessment_id,
                "user": user_id,
                "practice": practice_id,
                "nc": data.not_concerned,
                "frequency": data.frequency,
                "involvement": data.involvement,
                "carrying": data.carrying,
                "develop": data.wants_to_develop,
                "comment": data.comment,
            },
        )
        answered, status, others, total = cursor.fetchone()
    if answered is None:
        if status == AssessmentStatus.SUBMITTED:
            raise AssessmentLocked
        raise AssessmentNotFound
    return SaveResult(answered=answered, progress=others + int(answered), total=total)


def answer_fingerprint(answer: Answer | AnswerData | None) -> str:
    """Short digest of an answer as the form shows and posts it back ("" means not answered).

    Line breaks are normalised: a browser posts a textarea's line breaks back as « \r\n ».
    """
    if answer is None:
        answer = AnswerData()
    data = AnswerData(
        not_concerned=answer.not_concerned,
        frequency=None if answer.not_concerned else answer.frequency,
        involvement=None if answer.not_concerned else answer.involvement,
        carrying=None if answer.not_concerned else answer.carrying,
        wants_to_develop=answer.wants_to_develop,
        comment=answer.comment.replace("\r\n", "\n").replace("\r", "\n").strip(),
    )
    if data.is_empty:
        return ""
    return hashlib.sha256(repr(data).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class FormSaveResult:
    saved: list[int]  # practice ids written
    newer: list[int]  # changed in this form, but changed elsewhere since it was rendered: kept


@transaction.atomic
def answers_save_form(
    *, assessment_id: int, user_id: int, posted: dict[int, tuple[AnswerData, str | None]]
) -> FormSaveResult:
    """The whole form posted at once (no JavaScript): writes only what this form changed.

    ``posted`` maps a practice id to its posted answer and the fingerprint of the answer the form
    was rendered with (None for a form without it). A practice left as it was rendered is not
    written, so a stale tab never overwrites a newer autosave; a practice changed both here and
    elsewhere since the form was rendered keeps the newer value and is reported. Autosaves of the
    assessment wait for this transaction (their upsert takes a share lock on the assessment row).
    """
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .filter(pk=assessment_id, user_id=user_id)
        .first()
    )
    if assessment is None:
        raise AssessmentNotFound
    if not assessment.is_draft:
        raise AssessmentLocked
    current = {
        answer.practice_id: answer_fingerprint(answer)
        for answer in Answer.objects.filter(assessment_id=assessment_id)
    }
    saved, newer = [], []
    for practice_id, (data, seen) in posted.items():
        posted_print = answer_fingerprint(data)
        stored = current.get(practice_id, "")
        if posted_print == stored:
            continue  # already so
        if seen is None:
            if data.is_empty:
                continue  # a form without fingerprints never erases an answer
        elif posted_print == seen:
            continue  # untouched in this form: whatever was saved since stays
        elif stored != seen:
            newer.append(practice_id)
            continue
        answer_save(
            assessment_id=assessment_id, user_id=user_id, practice_id=practice_id, data=data
        )
        saved.append(practice_id)
    return FormSaveResult(saved=saved, newer=newer)


def region_of(territory: Territory) -> Territory | None:
    if territory.level == Level.REGION:
        return territory
    return territory.region


@transaction.atomic
def assessment_submit(
    *, assessment_id: int, user: User, consent_statistics: bool, share_with_organisation: bool
) -> Assessment:
    """Locks the assessment, stores its scores, and feeds the peer statistics if consented."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("territory")
        .get(pk=assessment_id, user=user)
    )
    if assessment.status != AssessmentStatus.DRAFT:
        raise AssessmentLocked
    invitee = Invitee.objects.filter(assessment=assessment).select_related("campaign").first()
    if invitee is not None and not invitee.campaign.accepts_answers():
        raise SubmissionClosed
    answers = list(Answer.objects.filter(assessment=assessment).select_related("practice"))
    situations = list(
        Situation.objects.filter(version_id=assessment.version_id).select_related("axis")
    )
    scores = compute_scores(answers, situations)
    rows = [
        AssessmentScore(
            assessment=assessment, kind="situation", element_key=key, score=score, answered=n
        )
        for key, (score, n) in scores.situations.items()
        if score is not None
    ] + [
        AssessmentScore(
            assessment=assessment, kind="axis", element_key=key, score=score, answered=n
        )
        for key, (score, n) in scores.axes.items()
        if score is not None
    ]
    AssessmentScore.objects.bulk_create(rows)
    territory = assessment.territory
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.consent_statistics = consent_statistics
    assessment.shared_with_organisation = (
        share_with_organisation and assessment.organisation_id is not None
    )
    assessment.size_segment = SizeSegment.for_population(territory.population)
    assessment.region = region_of(territory)
    assessment.save()
    # The export's pseudonym is given here, once, so that reading the export never writes.
    AssessmentPseudonym.objects.get_or_create(assessment=assessment)
    if consent_statistics:
        peer_buckets_apply(assessment=assessment, sign=1)
    # « À développer » becomes the proposed development plan (personal: feeds no figure).
    plan_propose(assessment=assessment)
    return assessment


@transaction.atomic
def assessment_preferences_set(
    *, assessment_id: int, user: User, consent_statistics: bool, share_with_organisation: bool
) -> Assessment:
    """Changes, after submitting, whether it feeds the statistics and is shared with the organisation."""
    assessment = Assessment.objects.select_for_update(of=("self",)).get(pk=assessment_id, user=user)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise AssessmentLocked
    if consent_statistics != assessment.consent_statistics:
        peer_buckets_apply(assessment=assessment, sign=1 if consent_statistics else -1)
    assessment.consent_statistics = consent_statistics
    assessment.shared_with_organisation = (
        share_with_organisation and assessment.organisation_id is not None
    )
    assessment.save(update_fields=["consent_statistics", "shared_with_organisation", "updated_at"])
    return assessment


@transaction.atomic
def assessment_delete(*, assessment_id: int, user: User) -> None:
    assessment = Assessment.objects.select_for_update(of=("self",)).get(pk=assessment_id, user=user)
    if assessment.status == AssessmentStatus.SUBMITTED and assessment.consent_statistics:
        peer_buckets_apply(assessment=assessment, sign=-1)
    assessment.delete()


@transaction.atomic
def user_data_delete(*, user: User) -> int:
    """Deletes every assessment of a person (their development plans with them) and their
    organisation memberships."""
    ids = list(
        Assessment.objects.select_for_update().filter(user=user).values_list("pk", flat=True)
    )
    for assessment in Assessment.objects.filter(
        pk__in=ids, status="submitted", consent_statistics=True
    ):
        peer_buckets_apply(assessment=assessment, sign=-1)
    Assessment.objects.filter(pk__in=ids).delete()
    OrganisationMembership.objects.filter(user=user).delete()
    return len(ids)


@transaction.atomic
def organisation_leave(*, user: User, organisation_id: int) -> Organisation:
    """Leaves an organisation: its members no longer see this person's assessments."""
    membership = (
        OrganisationMembership.objects.select_related("organisation")
        .filter(organisation_id=organisation_id, user=user)
        .first()
    )
    if membership is None:
        raise Refused("Vous n'êtes pas membre de cette organisation.", code="not_a_member")
    Assessment.objects.filter(user=user, organisation_id=organisation_id).update(
        shared_with_organisation=False
    )
    plans_unshare(user=user, organisation_id=organisation_id)
    membership.delete()
    return membership.organisation


def assessment_context_of_latest(*, user: User) -> dict[str, Any]:
    """The context of a person's latest assessment, to pre-fill the next one."""
    latest = (
        Assessment.objects.filter(user=user)
        .select_related("territory", "organisation")
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None:
        return {}
    member = (
        latest.organisation_id
        and OrganisationMembership.objects.filter(
            organisation_id=latest.organisation_id, user=user
        ).exists()
    )
    return {
        "organisation": latest.organisation_id if member else None,
        "territory": latest.territory,
        "actor_profile": latest.actor_profile_id,
        "engineerings": list(latest.engineerings.values_list("pk", flat=True)),
    }


def organisation_join(*, user: User, join_code: str) -> Organisation:
    organisation = Organisation.objects.filter(join_code=join_code.strip()).first()
    if organisation is None:
        raise Refused(
            {
                "join_code": "Aucune organisation ne porte ce code : vérifiez-le auprès de ses membres."
            },
            code="unknown_join_code",
        )
    OrganisationMembership.objects.get_or_create(organisation=organisation, user=user)
    return organisation


def peer_buckets_apply(*, assessment: Assessment, sign: int) -> None:
    """Adds (+1) or removes (-1) one assessment from the histograms of all its peer groups."""
    scores = [
        (kind, key, score)
        for kind, key, score in AssessmentScore.objects.filter(assessment=assessment).values_list(
            "kind", "element_key", "score"
        )
    ]
    levers = dict(Axis.objects.filter(version_id=assessment.version_id).values_list("key", "lever"))
    engineering_ids = list(assessment.engineerings.values_list("pk", flat=True))
    cells = assessment_dimensions(scores, levers)
    rows = sorted(
        (kind, value, dimension, bucket, sign * count)
        for kind, value in peer_groups_of(assessment, engineering_ids)
        for (dimension, bucket), count in cells.items()
    )
    values_sql = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))
    params: list[Any] = []
    for row in rows:
        params += [assessment.version_id, *row]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO pratiques_peerbucket (version_id, group_kind, group_value, dimension, bucket, count)
            VALUES {values_sql}
            ON CONFLICT (version_id, group_kind, group_value, dimension, bucket)
            DO UPDATE SET count = pratiques_peerbucket.count + EXCLUDED.count""",
            params,
        )


_REBUILD = """
WITH base AS (
    SELECT id, size_segment_id, actor_profile_id, region_id FROM pratiques_assessment
    WHERE version_id = %(version)s AND status = 'submitted' AND consent_statistics
), groups AS (
    SELECT id, 'all' AS kind, 0 AS value FROM base
    UNION ALL SELECT id, 'profile', actor_profile_id FROM base
    UNION ALL SELECT id, 'segment', size_segment_id FROM base WHERE size_segment_id IS NOT NULL
    UNION ALL SELECT id, 'region', region_id FROM base WHERE region_id IS NOT NULL
    UNION ALL SELECT b.id, 'engineering', ae.engineering_id
        FROM base b JOIN pratiques_assessment_engineerings ae ON ae.assessment_id = b.id
), levers AS (
    SELECT s.assessment_id AS id,
        max(s.score) FILTER (WHERE ax.lever = 'gestion') AS g,
        max(s.score) FILTER (WHERE ax.lever = 'action') AS a,
        max(s.score) FILTER (WHERE ax.lever = 'vision') AS v
    FROM pratiques_assessmentscore s
    JOIN base ON base.id = s.assessment_id
    JOIN pratiques_axis ax ON ax.key = s.element_key AND ax.version_id = %(version)s
    WHERE s.kind = 'axis'
    GROUP BY s.assessment_id
), shares AS (
    SELECT id, g / (g + a + v) AS gs, a / (g + a + v) AS as_, v / (g + a + v) AS vs
    FROM levers WHERE g IS NOT NULL AND a IS NOT NULL AND v IS NOT NULL AND g + a + v > 0
), dims AS (
    SELECT id, 'n' AS dimension, 0 AS bucket, 1::bigint AS cnt FROM base
    UNION ALL
    SELECT s.assessment_id, CASE s.kind WHEN 'situation' THEN 's:' ELSE 'a:' END || s.element_key::text,
           floor(s.score * 10 + 0.5)::int, 1
    FROM pratiques_assessmentscore s JOIN base ON base.id = s.assessment_id
    UNION ALL
    SELECT id, 't', (floor(gs * %(steps)s + 0.5) * 100 + floor(as_ * %(steps)s + 0.5))::int, 1 FROM shares
    UNION ALL SELECT id, 'sum:gestion', 0, floor(gs * 1000000 + 0.5)::bigint FROM shares
    UNION ALL SELECT id, 'sum:action', 0, floor(as_ * 1000000 + 0.5)::bigint FROM shares
    UNION ALL SELECT id, 'sum:vision', 0, floor(vs * 1000000 + 0.5)::bigint FROM shares
)
INSERT INTO pratiques_peerbucket (version_id, group_kind, group_value, dimension, bucket, count)
SELECT %(version)s, g.kind, g.value, d.dimension, d.bucket, sum(d.cnt)
FROM groups g JOIN dims d ON d.id = g.id
GROUP BY g.kind, g.value, d.dimension, d.bucket
"""


@transaction.atomic
def peer_buckets_rebuild(*, version: GridVersion) -> int:
    """Recomputes every histogram of a version from the stored scores (after a bulk load)."""
    PeerBucket.objects.filter(version=version).delete()
    with connection.cursor() as cursor:
        cursor.execute(_REBUILD, {"version": version.pk, "steps": scoring.TERNARY_STEPS})
        return cursor.rowcount


def pseudonyms_assign() -> None:
    """Give every submitted assessment without one its random pseudonym (one statement; bulk
    loaders call it, submission gives it one by one)."""
    with connection.cursor() as cursor:
        cursor.execute(PSEUDONYMS_SQL, [AssessmentStatus.SUBMITTED])


PSEUDONYMS_SQL = """
    INSERT INTO pratiques_assessmentpseudonym (assessment_id, pseudonym)
    SELECT a.id, 'p-' || substr(md5(random()::text || clock_timestamp()::text || a.id), 1, 12)
    FROM pratiques_assessment a
    WHERE a.status = %s
    ON CONFLICT DO NOTHING
"""


# --- who counts ------------------------------------------------------------------------------


@transaction.atomic
def vouch_record(*, user: User, source: str, by: User | None = None) -> Vouch:
    """The network vouches for ``user``: from the next release their consenting assessments
    enter figures about others (``pratiques.models.established``). Idempotent: a person already
    vouched keeps their first vouch (its source and date)."""
    if source not in VouchSource.values:
        raise Refused("Origine de la reconnaissance inconnue.", code="vouch_source")
    vouch, _created = Vouch.objects.get_or_create(
        user=user, defaults={"source": source, "vouched_by": by}
    )
    return vouch


@transaction.atomic
def vouch_withdraw(*, user: User) -> bool:
    """The network withdraws its vouch: the person leaves figures about others from the next
    release (already released figures stay). Returns whether there was one."""
    deleted, _ = Vouch.objects.filter(user=user).delete()
    return deleted > 0
