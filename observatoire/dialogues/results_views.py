"""The results side of a territorial dialogue: the results page (organiser while it runs, public
once published), the initiatives' decisions, publishing, the council's PDF, the anonymised
dataset, the territory page's « Fragilités perçues » and the admins' national picture."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from config import pdf
from config.forms import YesNoForm
from config.refusals import Refused
from config.roles import Role, has_role, role_required
from config.spreadsheets import csv_response
from config.types import AuthenticatedHttpRequest, HtmxHttpRequest
from config.typography import french_html
from observatoire.dialogues import publication
from observatoire.dialogues import results_queries as queries
from observatoire.dialogues.models import Dialogue
from observatoire.queries import territory_for_indicators

TEMPLATE = "observatoire/dialogues/results/results.html"
PDF_TEMPLATE = "observatoire/dialogues/results/report.html"


def _dialogue_or_404(pk: int) -> Dialogue:
    dialogue = queries.dialogue_with_snapshot(pk)
    if dialogue is None:
        raise Http404("Dialogue inconnu.")
    return dialogue


def results_context(dialogue: Dialogue, *, manager: bool, user: Any = None) -> dict[str, Any]:
    """Everything the page and the PDF show (a constant number of queries)."""
    results = queries.results_for(dialogue)
    previous, evolution = queries.evolution_since(dialogue, results)
    return {
        "dialogue": dialogue,
        "territory": dialogue.territory,
        "results": results,
        "rows": queries.beside_indicators(dialogue, results),
        "previous": previous,
        "evolution": evolution,
        "initiatives": queries.initiatives(dialogue, approved_only=not manager),
        "manager": manager,
        "is_admin": user is not None and has_role(user, Role.NETWORK_ADMIN),
        "pdf": False,
        "published": queries.is_published(dialogue),
        "level_labels": ["0 — non observée", "1 — faible", "2 — marquée", "3 — forte"],
    }


@login_not_required
@require_safe
def dialogue_results(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Public once published; before that, only its organiser and the network admins (live
    figures under the same rules while it runs)."""
    dialogue = _dialogue_or_404(pk)
    manager = queries.can_manage(request.user, dialogue)
    if not manager and not queries.is_published(dialogue):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404("Ces résultats ne sont pas publiés.")
    context = results_context(dialogue, manager=manager, user=request.user)
    template = TEMPLATE
    return render(request, template, context)


@require_POST
def dialogue_results_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = YesNoForm(request.POST, field="confirm", default=True)
    if not form.is_valid() or not form.answer:
        messages.error(request, form.error_text if form.errors else "Publication annulée.")
        return redirect("observatoire:dialogue_results", pk=pk)
    try:
        publication.dialogue_publish(dialogue_id=pk, user=request.user)
    except Refused as refusal:
        if refusal.code in ("dialogue_not_found", "not_organiser"):
            raise Http404(refusal.text) from refusal
        messages.error(request, refusal.text)
        return redirect("observatoire:dialogue_results", pk=pk)
    messages.success(request, "Les résultats sont publiés : ils sont visibles de tous.")
    return redirect("observatoire:dialogue_results", pk=pk)


@require_POST
def dialogue_initiative_decide(
    request: AuthenticatedHttpRequest, pk: int, initiative_pk: int
) -> HttpResponse:
    form = YesNoForm(request.POST, field="approve")
    if not form.is_valid():
        messages.error(request, form.error_text)
        return redirect("observatoire:dialogue_results", pk=pk)
    try:
        publication.initiative_decide(
            initiative_id=initiative_pk, dialogue_id=pk, user=request.user, approve=form.answer
        )
    except Refused as refusal:
        if refusal.code in ("initiative_not_found", "not_organiser"):
            raise Http404(refusal.text) from refusal
        messages.error(request, refusal.text)
        return redirect("observatoire:dialogue_results", pk=pk)
    messages.success(
        request,
        "Initiative approuvée : elle est publique." if form.answer else "Initiative écartée.",
    )
    return redirect(f"{_results_url(pk)}#initiatives")


def _results_url(pk: int) -> str:
    return reverse("observatoire:dialogue_results", kwargs={"pk": pk})


def dialogue_pdf(dialogue: Dialogue, *, manager: bool) -> bytes:
    """The council's PDF, through the project's one PDF pipeline."""
    context = results_context(dialogue, manager=False)
    context["manager"] = manager
    context["pdf"] = True
    html = french_html(render_to_string(PDF_TEMPLATE, context))
    return pdf.html_to_pdf(html, kind="dialogue-report")


def _closed_for(request: HtmxHttpRequest, pk: int) -> tuple[Dialogue, bool]:
    """The dialogue, for the public once published, for its organiser and admins once closed."""
    dialogue = _dialogue_or_404(pk)
    manager = queries.can_manage(request.user, dialogue)
    if queries.is_published(dialogue) or (manager and dialogue.is_closed):
        return dialogue, manager
    raise Http404("Résultats indisponibles : le dialogue n’est pas clos ou pas publié.")


@login_not_required
@require_safe
def dialogue_results_pdf(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    dialogue, manager = _closed_for(request, pk)
    response = HttpResponse(dialogue_pdf(dialogue, manager=manager), content_type="application/pdf")
    name = f"dialogue-{slugify(dialogue.territory.name)}-{dialogue.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
@role_required(Role.NETWORK_ADMIN)
def dialogue_results_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The anonymised dataset (k-anonymous), for the network's admins only: the organiser
    controls the invite list and could know every other row of a class."""
    dialogue = _dialogue_or_404(pk)
    if not dialogue.is_closed or getattr(dialogue, "snapshot", None) is None:
        raise Http404("Le dialogue n’est pas clos : pas de jeu de données figé.")
    rows, summary = queries.anonymised_rows(dialogue)
    return csv_response(
        rows,
        f"dialogue-{dialogue.pk}-donnees-anonymisees.csv",
        preamble=f"# {summary.statement}\n",
    )


@login_not_required
@require_safe
def territory_perceived(request: HtmxHttpRequest, level: str, code: str) -> HttpResponse:
    """The territory page's « Fragilités perçues » (fragment pulled by the page)."""
    territory = territory_for_indicators(level, code)
    if territory is None:
        raise Http404("Territoire inconnu.")
    template = "observatoire/dialogues/results/territory_perceived.html"
    if request.htmx:
        template += "#perceived"
    context = {"territory": territory, "part": queries.perceived_for_territory(territory)}
    return render(request, template, context)


@require_safe
@role_required(Role.NETWORK_ADMIN)
def perceived_national(request: AuthenticatedHttpRequest) -> HttpResponse:
    template = "observatoire/dialogues/results/national.html"
    return render(request, template, {"picture": queries.national_picture()})
