"""Pages of the examples: the filtered base, one example, write and propose, review and publish,
import, an open export, and the examples part of a territory page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.refusals import Refused
from config.roles import Role, has_role, role_required
from config.spreadsheets import csv_response
from config.types import AuthenticatedHttpRequest, HtmxHttpRequest
from pratiques.examples import queries, services
from pratiques.examples.forms import ExampleForm, ImportForm, example_initial, facet_labels
from pratiques.examples.importing import examples_import
from pratiques.examples.text import body_html
from pratiques.models import Example, ExampleStatus
from territoires.queries import territory_for_page

MAX_QUERY = 200


@login_not_required
@require_safe
def example_list(request: HtmxHttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:MAX_QUERY]
    filters = {
        name: request.GET.get(name, "")[:60] for name in queries.FACETS if request.GET.get(name)
    }
    results = queries.search_examples(
        queries.ExampleSearch(text=text, filters=filters, page=request.GET.get("page", 1))
    )
    labels = facet_labels()
    facets = []
    for name, values in results.facets.items():
        options = []
        for facet in values:
            chosen = dict(filters, **{name: facet.value})
            if text:
                chosen["q"] = text
            label = (
                "non précisé"
                if facet.value == queries.NONE
                else labels[name].get(facet.value, facet.value)
            )
            options.append(
                {
                    "label": label,
                    "count": facet.count,
                    "url": "?" + urlencode(chosen),
                    "active": filters.get(name) == facet.value,
                }
            )
        facets.append({"name": name, "options": options})
    active = []
    for name, value in filters.items():
        rest = {k: v for k, v in filters.items() if k != name}
        if text:
            rest["q"] = text
        label = "non précisé" if value == queries.NONE else labels[name].get(value, value)
        active.append({"label": label, "url": "?" + urlencode(rest)})
    page_query = urlencode({**filters, **({"q": text} if text else {})})
    template = "pratiques/examples/list.html"
    return render(
        request,
        template,
        {
            "results": results,
            "facets": facets,
            "active": active,
            "filters": filters,
            "text": text,
            "page_query": page_query,
            "facet_titles": FACET_TITLES,
            "can_propose": has_role(request.user, Role.CATALYST),
        },
    )


FACET_TITLES = {
    "fragilite": "Fragilité",
    "pratique": "Pratique",
    "profil": "Profil d'acteur",
    "taille": "Taille du territoire",
    "region": "Région",
    "impact": "Impact",
}


@login_not_required
@require_safe
def example_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    example = queries.example_for(request.user, pk)
    if example is None:
        raise Http404("Cet exemple n'existe pas ou n'est pas publié.")
    labels = facet_labels()
    is_admin = has_role(request.user, Role.NETWORK_ADMIN)
    return render(
        request,
        "pratiques/examples/detail.html",
        {
            "example": example,
            "body": mark_safe(body_html(example.body)),
            "fragilities": [labels["fragilite"].get(c, c) for c in example.fragilities],
            "practices": [labels["pratique"].get(str(k), "") for k in example.practices],
            "profiles": [labels["profil"].get(c, c) for c in example.actor_profiles],
            "segments": [labels["taille"].get(c, c) for c in example.segment_codes],
            "is_admin": is_admin,
            "is_author": request.user.is_authenticated and example.created_by_id == request.user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.CATALYST)
def example_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _edit(request, None)


@require_http_methods(["GET", "POST"])
@role_required(Role.CATALYST)
def example_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    example = queries.example_for(request.user, pk)
    if example is None:
        raise Http404("Cet exemple n'existe pas.")
    return _edit(request, example)


def _edit(request: AuthenticatedHttpRequest, example: Example | None) -> HttpResponse:
    if request.method == "POST":
        form = ExampleForm(request.POST)
        if form.is_valid():
            try:
                saved = services.example_save(
                    actor=request.user,
                    data=form.example_data(),
                    example_id=example.pk if example else None,
                )
                if request.POST.get("action") == "proposer":
                    saved = services.example_transition(
                        actor=request.user, example_id=saved.pk, to_status=ExampleStatus.PROPOSED
                    )
                    messages.success(
                        request, "Exemple proposé : un administrateur du réseau va le relire."
                    )
                else:
                    messages.success(request, "Brouillon enregistré.")
            except Refused as refusal:
                form.add_error(None, refusal)
            else:
                return redirect(saved)
    else:
        form = ExampleForm(initial=example_initial(example) if example else None)
    return render(
        request,
        "pratiques/examples/edit.html",
        {"form": form, "example": example},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def example_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    to_status = request.POST.get("to", "")
    if to_status not in ExampleStatus.values:
        messages.error(request, "Statut inconnu.")
        return redirect("pratiques:example_list")
    try:
        example = services.example_transition(
            actor=request.user,
            example_id=pk,
            to_status=to_status,
            note=request.POST.get("note", ""),
        )
    except Refused as refusal:
        if refusal.code == "no_example":
            raise Http404(refusal.text) from None
        messages.error(request, refusal.text)
        return redirect("pratiques:example_detail", pk=pk)
    messages.success(request, f"Exemple désormais « {example.get_status_display()} ».")
    return redirect(example)


@require_safe
@role_required(Role.NETWORK_ADMIN)
def example_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    waiting = list(
        Example.objects.filter(status__in=[ExampleStatus.PROPOSED, ExampleStatus.DRAFT])
        .select_related("created_by")
        .order_by("status", "-updated_at")[:200]
    )
    return render(request, "pratiques/examples/review.html", {"waiting": waiting})


@require_http_methods(["GET", "POST"])
@role_required(Role.NETWORK_ADMIN)
def example_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = examples_import(
                actor=request.user,
                data=upload.read(),
                file_name=upload.name,
                status=form.cleaned_data["status"],
            )
        except Refused as refusal:
            form.add_error(None, refusal)
            problems = refusal.problems
        else:
            messages.success(
                request,
                f"{count} exemple{'s' if count > 1 else ''} importé{'s' if count > 1 else ''}.",
            )
            return redirect("pratiques:example_review")
    return render(
        request,
        "pratiques/examples/import.html",
        {"form": form, "problems": problems},
        status=400 if form.errors else 200,
    )


EXPORT_HEADER = [
    "id", "titre", "resume", "territoires", "tailles", "regions", "profils", "fragilites",
    "pratiques", "impact", "annee", "source", "lien", "licence", "publie_le", "demonstration",
]  # fmt: skip


@login_not_required
@require_safe
def example_export(request: HtmxHttpRequest) -> HttpResponse:
    """The published examples, open data (CSV): never a draft nor a proposal."""
    rows = [
        [
            e.pk,
            e.title,
            e.summary,
            " | ".join(f"{t.level}:{t.code}" for t in e.territories.all()),
            " | ".join(e.segment_codes),
            " | ".join(e.region_codes),
            " | ".join(e.actor_profiles),
            " | ".join(e.fragilities),
            " | ".join(str(k) for k in e.practices),
            e.impact,
            e.year or "",
            e.source,
            e.source_url,
            e.licence,
            e.published_at.date().isoformat() if e.published_at else "",
            "oui" if e.is_demo else "",
        ]
        for e in queries.published().prefetch_related("territories").order_by("pk")
    ]
    return csv_response([EXPORT_HEADER, *rows], "exemples-inspirants.csv", delimiter=",")


@login_not_required
@require_safe
def territory_examples(request: HtmxHttpRequest, level: str, code: str) -> HttpResponse:
    territory = territory_for_page(level, code)
    if territory is None:
        raise Http404("Territoire introuvable.")
    template = "pratiques/examples/territory_block.html"
    if request.htmx:
        template += "#territory_examples"
    return render(
        request,
        template,
        {"territory": territory, "groups": queries.territory_examples(territory)},
    )
