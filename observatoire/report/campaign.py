"""The PDF of a campaign report: data computed by ``pratiques.campaigns.report`` (from the frozen
dataset), rendered by the same pipeline as territory reports (HTML + print CSS → WeasyPrint)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from config.roles import Role, role_required
from config.types import AuthenticatedHttpRequest
from config.typography import french_html
from observatoire.report import charts, render
from pratiques.campaigns.report import campaign_report, report_context
from pratiques.models import Campaign, CampaignSnapshot

TEMPLATE = "observatoire/report/campaign.html"


def campaign_pdf(campaign: Campaign) -> bytes:
    data = campaign_report(campaign)
    context = report_context(data)
    if data.barycentre:
        # The network's barycentre alone: no per-person point in any chart.
        gestion, action, vision = (v / 100 for v in data.barycentre)
        context["triangle"] = charts.triangle_image((gestion, action, vision))
    html = french_html(render_to_string(TEMPLATE, context))
    return render.document_pdf(html, kind="campaign-report")


@require_safe
@role_required(Role.NETWORK_ADMIN)
def campaign_report_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("version"), pk=pk)
    if not CampaignSnapshot.objects.filter(campaign=campaign).exists():
        raise Http404("Cette campagne n'est pas encore close : pas de rapport.")
    response = HttpResponse(campaign_pdf(campaign), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rapport-campagne-{campaign.pk}.pdf"'
    return response
