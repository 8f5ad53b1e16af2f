"""The read-only open-data API: the same reads as the public pages (one meaning per figure)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet, Window
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Query, Schema, Swagger
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from observatoire.api import schemas as out
from observatoire.api.http import error
from observatoire.queries import (
    indicator_catalogue,
    territory_for_indicators,
    territory_indicator_profile,
    territory_indicator_values,
)
from pratiques.aggregates import territory_practices
from pratiques.models import GridStatus, GridVersion, Release, Resource, ResourceAttachment
from pratiques.queries import grid_tree
from territoires.models import Level, SizeSegment, Territory
from territoires.queries import (
    search_territories,
    territory_by_former_code,
    territory_for_page,
)

MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000

api = NinjaAPI(
    title="API des données ouvertes — Ingénierie territoriale",
    version="1",
    description=(
        "API en lecture seule des données publiques de la plateforme : grille des pratiques, "
        "territoires, indicateurs et rangs parmi les pairs, agrégats diffusés des "
        "auto-évaluations (jamais plus fin que les pages publiques), ressources. Licence "
        "Ouverte Etalab 2.0. Appels anonymes limités à 60 par minute (réponse 429 avec "
        "Retry-After) ; ETag et If-None-Match (304)."
    ),
    urls_namespace="api",
    docs_url="/docs/",
    # No call to the public validator: everything the page loads comes from the platform.
    docs=Swagger(settings={"validatorUrl": None}),
)

# Every operation may answer these (the guards of config.middleware, the rate limit).
ERRORS: dict[int, Any] = {400: out.Error, 404: out.Error, 422: out.Error, 429: out.Error}
# A territory's operations: a former commune code answers 301 with where it went.
TERRITORY_ERRORS: dict[int, Any] = {301: out.Replaced, **ERRORS}
type LevelName = Literal[
    "pays", "region", "departement", "epci", "commune", "arrondissement", "projet"
]
Code = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z_-]+$")]


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"champ": ".".join(str(p) for p in e.get("loc", [])), "message": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    return error(422, "parametre_invalide", "Paramètre invalide.", details)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(404, "introuvable", str(exc) or "Introuvable.")


class Replaced(Exception):
    """A former commune code: answered 301 with where the commune went."""

    def __init__(self, former: str, territory: Territory) -> None:
        super().__init__(former)
        self.former, self.territory = former, territory


@api.exception_handler(Replaced)
def replaced(request: HttpRequest, exc: Replaced) -> HttpResponse:
    heir = exc.territory
    response = JsonResponse(
        {
            "code": "code_remplace",
            "message": f"La commune {exc.former} a fusionné dans {heir.name} ({heir.code}).",
            "details": None,
            "vers": _ref(heir),
        },
        status=301,
    )
    # The same address (sub-resource and query included) under the current code.
    response["Location"] = request.get_full_path().replace(
        f"/{heir.level}/{exc.former}/", f"/{heir.level}/{heir.code}/", 1
    )
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(exc.status_code, "erreur", str(exc))


class Paging(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    taille: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


def paginate(qs: QuerySet[Any] | list[Any], paging: Paging) -> tuple[dict[str, int], list[Any]]:
    """One page and the total. A queryset gives both in one query (``count(*) OVER ()`` on each
    row); only a page past the end needs a second one."""
    start = (paging.page - 1) * paging.taille
    if not isinstance(qs, QuerySet):
        total, rows = len(qs), list(qs[start : start + paging.taille])
    else:
        counted = list(qs.annotate(api_total=Window(Count("*")))[start : start + paging.taille])
        if counted:
            first = counted[0]
            total = first[-1] if isinstance(first, tuple) else first.api_total
            rows = [row[:-1] for row in counted] if isinstance(first, tuple) else counted
        else:
            total, rows = qs.count(), []
    return {"total": total, "page": paging.page, "taille": paging.taille}, rows


# --- grid -----------------------------------------------------------------------------------


def _version_out(version: GridVersion) -> dict[str, Any]:
    return {
        "slug": version.slug,
        "libelle": version.label,
        "statut": version.status,
        "publiee_le": version.published_at,
        "archivee_le": version.archived_at,
        "source": version.source,
    }


def _public_versions() -> QuerySet[GridVersion]:
    return GridVersion.objects.exclude(status=GridStatus.DRAFT).order_by("-published_at", "-pk")


@api.get(
    "/grilles/",
    response={200: out.GridVersionPage, **ERRORS},
    tags=["grille"],
    summary="Versions publiées",
)
def grid_versions(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    meta, rows = paginate(_public_versions(), paging)
    return {**meta, "resultats": [_version_out(v) for v in rows]}


@api.get(
    "/grilles/{slug}/",
    response={200: out.GridOut, **ERRORS},
    tags=["grille"],
    summary="Une version : axes, situations, pratiques et leurs clés stables",
)
def grid_version(
    request: HttpRequest, slug: Annotated[str, Field(max_length=60)]
) -> dict[str, Any]:
    version = _public_versions().filter(slug=slug).first()
    if version is None:
        raise Http404("Version de grille inconnue ou non publiée.")
    tree = grid_tree(version)
    return {
        **_version_out(version),
        "axes": [
            {
                "cle": axis.key,
                "code": axis.code,
                "intitule": axis.title,
                "levier": axis.lever,
                "situations": [
                    {
                        "cle": s.key,
                        "code": s.code,
                        "intitule": s.title,
                        "pratiques": [
                            {"cle": p.key, "code": p.code, "libelle": p.label}
                            for p in tree.practices
                            if p.situation_id == s.pk
                        ],
                    }
                    for s in tree.situations
                    if s.axis_id == axis.pk
                ],
            }
            for axis in tree.axes
        ],
    }


# --- territories ----------------------------------------------------------------------------


def _ref(territory: Territory | None) -> dict[str, Any] | None:
    if territory is None:
        return None
    return {
        "niveau": territory.level,
        "code": territory.code,
        "nom": territory.name,
        "url": territory.get_absolute_url(),
    }


def _item(territory: Territory) -> dict[str, Any]:
    return {**(_ref(territory) or {}), "population": territory.population}


class TerritoryFilter(Paging):
    q: str = Field("", max_length=100, description="Nom, code officiel ou code postal")
    niveau: LevelName | None = None


@api.get(
    "/territoires/",
    response={200: out.TerritoryPage, **ERRORS},
    tags=["territoires"],
    summary="Recherche (comme le site) ou liste par niveau",
)
def territories(request: HttpRequest, filters: Query[TerritoryFilter]) -> dict[str, Any]:
    levels = [Level(filters.niveau)] if filters.niveau else None
    if filters.q.strip():
        # The site's own search: ranked, at most one page of the best matches.
        found = [
            match.territory
            for match in search_territories(filters.q, limit=MAX_PAGE_SIZE, levels=levels)
        ]
        meta, rows = paginate(found, filters)
    else:
        qs = Territory.objects.filter(archived_at__isnull=True).only(
            "level", "code", "name", "population"
        )
        if not getattr(settings, "DEMO_MODE", False):
            qs = qs.filter(is_demo=False)
        if levels:
            qs = qs.filter(level__in=levels)
        meta, rows = paginate(qs.order_by("level", "code"), filters)
    return {**meta, "resultats": [_item(t) for t in rows]}


def _found(level: str, code: str, territory: Territory | None) -> Territory:
    """The territory, or a 301 to the commune a former code merged into, or a 404."""
    if territory is not None:
        return territory
    heir = territory_by_former_code(level, code)
    if heir is not None:
        raise Replaced(code, heir)
    raise Http404("Territoire inconnu.")


def _territory(level: str, code: str) -> Territory:
    return _found(level, code, territory_for_page(level, code))


@api.get(
    "/territoires/{niveau}/{code}/",
    response={200: out.TerritoryOut, **TERRITORY_ERRORS},
    tags=["territoires"],
    summary="Un territoire : parents, segment de taille, anciens noms",
)
def territory_detail(request: HttpRequest, niveau: LevelName, code: Code) -> dict[str, Any]:
    territory = _territory(niveau, code)
    segment: SizeSegment | None = (
        territory.size_segment(list(SizeSegment.objects.all()))
        if territory.level != Level.COUNTRY
        else None
    )
    return {
        **_item(territory),
        "nature": territory.kind,
        "codes_postaux": territory.postal_codes.split() if territory.postal_codes else [],
        "anciens_noms": territory.former_names,
        "anciens_codes": territory.former_codes,
        "region": _ref(territory.region),
        "departement": _ref(territory.departement),
        "intercommunalite": _ref(territory.epci),
        "commune": _ref(territory.commune),
        "segment_de_taille": {"code": segment.code, "libelle": segment.label} if segment else None,
        "demonstration": territory.is_demo,
    }


# --- indicators -----------------------------------------------------------------------------


@api.get(
    "/indicateurs/",
    response={200: out.IndicatorPage, **ERRORS},
    tags=["indicateurs"],
    summary="Catalogue",
)
def indicators(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    meta, rows = paginate(indicator_catalogue(), paging)
    return {
        **meta,
        "resultats": [
            {
                "code": i.code,
                "libelle": i.label,
                "unite": i.unit,
                "source": i.source,
                "millesime": i.vintage,
                "domaine": str(i.fragility) if i.fragility else None,
                "polarite": i.polarity,
                "nature": i.kind,
                "niveaux": [str(level) for level in i.levels or []],
                "demonstration": i.is_demo,
            }
            for i in rows
        ],
    }


@api.get(
    "/territoires/{niveau}/{code}/indicateurs/",
    response={200: out.IndicatorProfileOut, **TERRITORY_ERRORS},
    tags=["indicateurs"],
    summary="Les indicateurs d’un territoire (dernier millésime) et son rang parmi ses pairs",
)
def territory_indicators(request: HttpRequest, niveau: LevelName, code: Code) -> dict[str, Any]:
    territory = _found(niveau, code, territory_for_indicators(niveau, code))
    profile = territory_indicator_profile(territory)
    lines = [line for domain in profile.domains for line in domain.lines]
    return {
        "territoire": _ref(territory),
        "groupe_de_pairs": profile.peer_group,
        "convention": profile.convention,
        "indicateurs": [
            {
                "code": line.indicator.code,
                "libelle": line.indicator.label,
                "domaine": str(line.indicator.fragility) if line.indicator.fragility else None,
                "annee": line.year,
                "valeur": line.value,
                "pour_1000_habitants": line.rate,
                "valeur_departement": line.departement_value,
                "valeur_region": line.region_value,
                "valeur_france": line.france_value,
                "rang_centile": line.rank,
                "pairs": line.peers.count if line.peers is not None else None,
                "demonstration": line.indicator.is_demo,
            }
            for line in lines
        ],
    }


class ValueFilter(Paging):
    annee: int | None = Field(None, ge=1800, le=2200)
    taille: int = Field(100, ge=1, le=MAX_PAGE_SIZE)


@api.get(
    "/territoires/{niveau}/{code}/valeurs/",
    response={200: out.ValuePage, **TERRITORY_ERRORS},
    tags=["indicateurs"],
    summary="Toutes les valeurs d’un territoire, par millésime",
)
def territory_values(
    request: HttpRequest, niveau: LevelName, code: Code, filters: Query[ValueFilter]
) -> dict[str, Any]:
    territory = _territory(niveau, code)
    qs = territory_indicator_values(territory)
    if filters.annee is not None:
        qs = qs.filter(year=filters.annee)
    meta, rows = paginate(qs.values_list("indicator__code", "year", "value"), filters)
    return {
        **meta,
        "resultats": [
            {"indicateur": code, "annee": year, "valeur": value} for code, year, value in rows
        ],
    }


# --- released practice aggregates -----------------------------------------------------------


@api.get(
    "/territoires/{niveau}/{code}/pratiques/",
    response={200: out.PracticesOut, **TERRITORY_ERRORS},
    tags=["pratiques"],
    summary="Les agrégats diffusés d’un territoire (rien sous le seuil de diffusion)",
)
def territory_practice_figures(
    request: HttpRequest, niveau: LevelName, code: Code
) -> dict[str, Any]:
    territory = _territory(niveau, code)
    data = territory_practices(territory)
    shown = data.shown
    return {
        "territoire": _ref(territory),
        "diffusion": data.release.released_at if data.release else None,
        "grille": data.version.slug if data.version else None,
        "seuil": data.threshold,
        "statut": data.status,
        "personnes": data.people_label,
        "situations": [
            {
                "cle": s.situation.key,
                "code": s.situation.code,
                "q1": s.q1,
                "mediane": s.median,
                "q3": s.q3,
            }
            for s in data.situations
        ]
        if shown
        else [],
        "pratiques": [
            {
                "cle": p.practice.key,
                "code": p.practice.code,
                "en_interne_pct": p.in_house,
                "en_partenariat_pct": p.partnership,
                "les_deux_pct": p.both,
                "a_developper_pct": p.develop,
            }
            for p in data.practices
        ]
        if shown
        else [],
        "leviers": data.levers if shown else {},
        "barycentre": list(data.barycentre) if shown and data.barycentre else None,
    }


@api.get(
    "/diffusions/",
    response={200: out.ReleasePage, **ERRORS},
    tags=["pratiques"],
    summary="Les diffusions d’agrégats et leurs paramètres de protection",
)
def releases(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    meta, rows = paginate(Release.objects.order_by("-released_at", "-pk"), paging)
    return {
        **meta,
        "resultats": [
            {"diffusee_le": r.released_at, "origine": r.trigger, "parametres": r.parameters}
            for r in rows
        ],
    }


# --- resources ------------------------------------------------------------------------------


@api.get(
    "/ressources/",
    response={200: out.ResourcePage, **ERRORS},
    tags=["ressources"],
    summary="Ressources",
)
def resources(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    qs = Resource.objects.order_by("kind", "title", "pk").prefetch_related(
        Prefetch(
            "attachments",
            queryset=ResourceAttachment.objects.order_by("pk").only("resource_id", "practice_key"),
        )
    )
    meta, rows = paginate(qs, paging)
    return {
        **meta,
        "resultats": [
            {
                "id": r.pk,
                "titre": r.title,
                "nature": r.kind,
                "lien": r.url,
                "description": r.description,
                "source": r.source,
                "pratiques": [a.practice_key for a in r.attachments.all()],
            }
            for r in rows
        ],
    }
