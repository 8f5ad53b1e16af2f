"""Reads on territories."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from territoires import registry
from territoires.models import (
    Fragility,
    FragilityReading,
    Level,
    MaturityAssessment,
    SizeSegment,
    Territory,
)
from territoires.text import PREFIX_MAX_LENGTH, name_words, query_tokens

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _SearchOrder(TypedDict):
        rank: Any  # 0: the exact code typed; then better matches first
        detail: Any
        level_order: Any

    # A search result: a territory with the annotations that ordered it.
    type SearchResult = WithAnnotations[Territory, _SearchOrder]


@dataclass(frozen=True)
class TerritoryMatch:
    """A search result: the territory, its rank (0: the exact code typed; lower is better) and
    what matched — a code (« code INSEE 69001 », « CP 69001 ») or a former name. It answers
    ``name``, ``code``, ``level``… as the territory does, so templates read them alike."""

    territory: Territory
    rank: int
    matched_code: str = ""
    matched_former_name: str = ""
    segment: SizeSegment | None = None  # its size segment, when the page shows it

    @property
    def pk(self) -> int:
        return self.territory.pk

    @property
    def level(self) -> str:
        return self.territory.level

    @property
    def code(self) -> str:
        return self.territory.code

    @property
    def name(self) -> str:
        return self.territory.name

    @property
    def population(self) -> int | None:
        return self.territory.population

    @property
    def postal_codes(self) -> str:
        return self.territory.postal_codes

    @property
    def departement(self) -> Territory | None:
        return self.territory.departement

    def get_level_display(self) -> str:
        return self.territory.get_level_display()

    def get_absolute_url(self) -> str:
        return self.territory.get_absolute_url()


SEARCH_MAX_LENGTH = 100
SHORT_QUERY_LENGTH = 2
SINGLE_LETTER_MIN_POPULATION = 1_000
SEARCHABLE_LEVELS = [
    Level.COMMUNE,
    Level.ARRONDISSEMENT,
    Level.EPCI,
    Level.DEPARTEMENT,
    Level.REGION,
    Level.PROJECT,
]
# At equal match and population: commune, then arrondissement, EPCI, département, région.
# Columns of the searched table, qualified: the query joins the département (same table).
T = '"territoires_territory"'
_LEVEL_ORDER = RawSQL(
    f"CASE {T}.level WHEN 'commune' THEN 0 WHEN 'arrondissement' THEN 1 WHEN 'epci' THEN 2 "
    "WHEN 'departement' THEN 3 WHEN 'region' THEN 4 ELSE 5 END",
    [],
)
# The name's words, plain then glued (« l hay les roses | lhay les roses »), padded for LIKE.
_WORDS = f"{T}.search_words"
_CODE_LABELS = {
    Level.COMMUNE: "code INSEE",
    Level.ARRONDISSEMENT: "code INSEE",
    Level.EPCI: "SIREN",
    Level.DEPARTEMENT: "département",
    Level.REGION: "code région",
    Level.PROJECT: "identifiant",
}


def _text_rank(text: str, tokens: list[str]) -> RawSQL:
    """0 exact name; 1 every word typed is a whole word of the name, in any order (« lyon » →
    Métropole de Lyon); 2 the name starts with the text; 3 every word typed starts a word of the
    name; 4 matched through the département, a code or a former name."""
    whole = " AND ".join([f"{_WORDS} LIKE %s"] * len(tokens))
    prefix = " AND ".join([f"{_WORDS} LIKE %s"] * len(tokens))
    sql = (
        f"CASE WHEN {T}.search_name = %s OR {_WORDS} LIKE %s THEN 0 "
        f"WHEN {whole} THEN 1 WHEN {T}.search_name LIKE %s OR {_WORDS} LIKE %s THEN 2 "
        f"WHEN {prefix} THEN 3 ELSE 4 END"
    )
    return RawSQL(
        sql,
        [
            text,
            f"% | {text} ",
            *[f"% {token} %" for token in tokens],
            f"{text}%",
            f"% | {text}%",
            *[f"% {token}%" for token in tokens],
        ],
    )


def _context_order(tokens: list[str]) -> RawSQL:
    """Among places matched partly through their département (« saint denis 93 »): more words
    typed found in the name first, then the shorter name (Saint-Denis before Seine-Saint-Denis).
    0 when every word typed is in the name (population decides)."""
    each = " + ".join([f"({_WORDS} LIKE %s)::int"] * len(tokens))
    params = [f"% {token}%" for token in tokens]
    return RawSQL(
        f"CASE WHEN {each} = %s THEN 0 ELSE (%s - ({each})) * 1000 + length({T}.search_name) END",
        [*params, len(tokens), len(tokens), *params],
    )


def _code_rank(code: str) -> RawSQL:
    """0 a département's code (« 75 » is Paris before the région 75); 1 an official code, or
    the only postcode of the place (« 69001 » → Lyon 1er), or the former code of a commune merged
    into it (« 01340 » → Arboys en Bugey); 2 one of its postcodes; 3 the start
    of its code; 4 the start of a postcode or of its département's code."""
    return RawSQL(
        f"CASE WHEN {T}.level = 'departement' AND {T}.code = %s THEN 0 "
        f"WHEN {T}.code = %s OR {T}.postal_codes = %s OR %s = ANY({T}.former_codes) THEN 1 "
        f"WHEN (' ' || {T}.postal_codes || ' ') LIKE %s THEN 2 "
        f"WHEN {T}.code LIKE %s THEN 3 ELSE 4 END",
        [code, code, code.lower(), code, f"% {code.lower()} %", f"{code}%"],
    )


def _explain(territory: SearchResult, code: str, tokens: list[str]) -> TerritoryMatch:
    """Say what a result matched: which code (« code INSEE 69001 », « CP 69001 »), or which
    former name (« anciennement … ») when the current name does not hold every word typed."""
    rank = int(territory.rank)
    if code:
        postal = territory.postal_codes.split()
        if territory.code.upper() == code or territory.code.upper().startswith(code):
            label = _CODE_LABELS.get(Level(territory.level), "code")
            return TerritoryMatch(territory, rank, matched_code=f"{label} {territory.code}")
        elif code.lower() in postal or any(p.startswith(code.lower()) for p in postal):
            exact = code.lower() if code.lower() in postal else None
            match = exact or next(p for p in postal if p.startswith(code.lower()))
            return TerritoryMatch(territory, rank, matched_code=f"CP {match}")
        elif former := next((c for c in territory.former_codes if c.upper() == code), None) or next(
            (c for c in territory.former_codes if c.upper().startswith(code)), None
        ):
            return TerritoryMatch(territory, rank, matched_code=f"ancien code INSEE {former}")
        elif (
            territory.departement_id
            and territory.departement is not None
            and territory.departement.code.upper().startswith(code)
        ):
            return TerritoryMatch(
                territory, rank, matched_code=f"département {territory.departement.code}"
            )
        return TerritoryMatch(territory, rank)
    words = name_words(territory.name)
    if all(any(w.startswith(t) for w in words) for t in tokens):
        return TerritoryMatch(territory, rank)
    for former in territory.former_names:
        former_words = name_words(former)
        if all(any(w.startswith(t) for w in former_words) for t in tokens):
            return TerritoryMatch(territory, rank, matched_former_name=former)
    return TerritoryMatch(territory, rank)


def search_territories(
    query: str,
    *,
    limit: int = 10,
    levels: list[Level] | None = None,
    include_demo: bool | None = None,
) -> list[TerritoryMatch]:
    """Territories matching a name, postal code or official code, best match first.

    Accents, case, hyphens, apostrophes and « Saint »/« St » are ignored, words may come in
    any order and a number matches a département code, an arrondissement or a postcode
    (« marseille 13 », « lyon 1er », « st denis reunion », « lhay les roses »). Ranking: match
    quality (see ``_text_rank`` and ``_code_rank``), then population (largest first), then level.
    One indexed lookup: ``search_prefixes`` (GIN) must contain every word typed.
    Each result (``TerritoryMatch``) says what matched: ``matched_code`` for a code,
    ``matched_former_name`` for a former name.
    Demo projects are left out unless ``include_demo`` (default: ``settings.DEMO_MODE``);
    archived projects are never proposed.
    """
    tokens = [t[:PREFIX_MAX_LENGTH] for t in query_tokens(query[:SEARCH_MAX_LENGTH])]
    if not tokens:
        return []
    text = " ".join(tokens)
    qs: QuerySet[Territory] = Territory.objects.filter(level__in=levels or SEARCHABLE_LEVELS)
    if include_demo is None:
        include_demo = getattr(settings, "DEMO_MODE", False)
    qs = qs.filter(archived_at__isnull=True)
    if not include_demo:
        qs = qs.filter(is_demo=False)
    code = ""
    if len(tokens) == 1 and any(ch.isdigit() for ch in text):
        # A code: INSEE (« 94080 », « 2A004 »), SIREN, département (« 94 ») or postal code.
        code = text.upper()
        if len(code) == 1:
            # One digit starts a fifth of all codes: only départements and régions answer it.
            qs = qs.filter(level__in=[Level.DEPARTEMENT, Level.REGION], code__startswith=code)
        else:
            qs = qs.filter(search_prefixes__contains=tokens)
        rank = _code_rank(code)
        detail = RawSQL("0", [])
    elif len(tokens) == 1 and len(text) <= SHORT_QUERY_LENGTH:
        # One or two letters match a quarter of France through later words: the start of the
        # name is enough, and the B-tree prefix index is cheaper than the array for so many rows.
        qs = qs.filter(search_name__startswith=text)
        if len(text) == 1:
            # A single letter: thousands of names. The populous ones fill the first page anyway
            # (exact names first: the commune « Y »), so only they are ranked.
            qs = qs.filter(
                Q(search_name=text)
                | ~Q(level=Level.COMMUNE)
                | Q(population__gte=SINGLE_LETTER_MIN_POPULATION)
            )
        rank = RawSQL(
            f"CASE WHEN {T}.search_name = %s THEN 0 WHEN {T}.search_name LIKE %s THEN 1 ELSE 2 END",
            [text, f"{text} %"],
        )
        detail = RawSQL("0", [])
    else:
        qs = qs.filter(search_prefixes__contains=tokens)
        rank = _text_rank(text, tokens)
        detail = _context_order(tokens)
    results: list[SearchResult] = list(
        qs.select_related("departement")
        .defer("search_prefixes", "departement__search_prefixes")
        .annotate(rank=rank, detail=detail, level_order=_LEVEL_ORDER)
        .order_by("rank", "detail", F("population").desc(nulls_last=True), "level_order", "name")[
            :limit
        ]
    )
    return [_explain(territory, code, tokens) for territory in results]


def territory_from_key(key: str) -> Territory | None:
    """« commune:94080 » → the territory, or None."""
    level, _, code = key.partition(":")
    if level not in Level.values or not code:
        return None
    return Territory.objects.filter(level=level, code=code).first()


PAGE_LEVELS = [
    Level.COUNTRY,
    Level.REGION,
    Level.DEPARTEMENT,
    Level.EPCI,
    Level.COMMUNE,
    Level.ARRONDISSEMENT,
    Level.PROJECT,
]
MEMBERS_PER_PAGE = 25


def territory_for_page(level: str, code: str) -> Territory | None:
    """The territory at /territoires/<niveau>/<code>/, with its parents, or None."""
    if level not in PAGE_LEVELS:
        return None
    found = (
        Territory.objects.select_related("region", "departement", "epci", "commune")
        .defer("search_prefixes")
        .filter(level=level, code=code[:20])
        # (level, code) is unique: no ORDER BY, whose compilation over the ~130 selected
        # columns cost more than the query itself.
        .order_by()[:1]
    )
    return next(iter(found), None)


def territory_by_former_code(level: str, code: str) -> Territory | None:
    """The commune that a commune merged since an earlier vintage now belongs to, found by the
    merged commune's former INSEE code (« 01340 » → Arboys en Bugey, 01015), or None."""
    if level != Level.COMMUNE:
        return None
    return (
        Territory.objects.filter(level=Level.COMMUNE, former_codes__contains=[code[:20].upper()])
        .only("id", "level", "code", "name")
        .order_by("pk")
        .first()
    )


def member_communes(territory: Territory) -> QuerySet[Territory]:
    return territory.member_communes.only(
        "id", "level", "code", "name", "population", "postal_codes"
    ).order_by(F("population").desc(nulls_last=True), "name")


def arrondissements_of(commune: Territory) -> list[Territory]:
    return list(commune.arrondissements.only("id", "level", "code", "name").order_by("code"))


def project_coverage(project: Territory) -> dict[str, list[Territory]]:
    """The départements and régions a project's members lie in, most populous first."""
    members = Territory.objects.filter(project_memberships__project=project)
    coverage: dict[str, list[Territory]] = {}
    for key, field in [("departements", "departement"), ("regions", "region")]:
        ids = members.values(f"{field}_id")
        coverage[key] = list(
            Territory.objects.filter(pk__in=ids)
            .only("id", "level", "code", "name")
            .order_by(F("population").desc(nulls_last=True), "name")
        )
    return coverage


def project_members(project: Territory) -> list[Territory]:
    return list(
        Territory.objects.filter(project_memberships__project=project)
        .only("id", "level", "code", "name", "population")
        .order_by("level", "name")
    )


def projects_of(territory: Territory) -> list[Territory]:
    """Projects the territory belongs to, directly or through its EPCI."""
    condition = Q(memberships__member=territory)
    if territory.epci_id:
        condition |= Q(memberships__member_id=territory.epci_id)
    return list(
        Territory.objects.filter(condition, level=Level.PROJECT)
        .only("id", "level", "code", "name", "population")
        .distinct()
        .order_by("name")
    )


def maturity_history(territory: Territory, limit: int = 20) -> list[MaturityAssessment]:
    return list(
        MaturityAssessment.objects.filter(territory=territory).select_related(
            "profile", "assessed_by"
        )[:limit]
    )


def fragility_profile(territory: Territory) -> list[dict]:
    """The 16 domains grouped by criterion, each with its latest reading (or None)."""
    latest = {
        r.fragility_id: r
        for r in FragilityReading.objects.filter(territory=territory)
        .order_by("fragility_id", "-recorded_at", "-id")
        .distinct("fragility_id")
    }
    groups: dict[int | None, dict] = {}
    for fragility in Fragility.objects.select_related("criterion").order_by(
        "criterion__order", "order", "label"
    ):
        group = groups.setdefault(
            fragility.criterion_id, {"criterion": fragility.criterion, "rows": []}
        )
        group["rows"].append({"fragility": fragility, "reading": latest.get(fragility.pk)})
    # An indicator source reads by its name, not its code (the catalogue belongs to the app that
    # registered it; one query, only when some reading cites an indicator).
    if any(r.source == "indicateur" for r in latest.values()):
        labels = {choice.code: choice.label for choice in registry.indicator_catalogue() or []}
        for reading in latest.values():
            reading.indicator_label = labels.get(reading.indicator_code, "")
    return list(groups.values())


def fragility_history(territory: Territory, limit: int = 50) -> list[FragilityReading]:
    """Every reading of the territory, newest first (earlier ones are never overwritten)."""
    return list(
        FragilityReading.objects.filter(territory=territory).select_related(
            "fragility", "recorded_by"
        )[:limit]
    )
