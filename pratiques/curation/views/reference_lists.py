"""The reference lists of territoires (maturity, fragilities, size segments, actor
profiles), edited by the network admins through territoires' services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import reswap, retarget

from config.refusals import Refused
from config.types import AuthenticatedHttpRequest
from pratiques.curation import services
from pratiques.curation.views.common import add_service_errors, admin_required
from territoires.forms import REFERENCE_FORMS
from territoires.models import (
    ActorProfile,
    Fragility,
    FragilityCriterion,
    MaturityProfile,
    SizeSegment,
)


def reference_context() -> dict[str, Any]:
    return {
        "maturity_profiles": MaturityProfile.objects.order_by("rank"),
        "criteria": FragilityCriterion.objects.order_by("order"),
        "fragilities": Fragility.objects.select_related("criterion").order_by("order"),
        "segments": SizeSegment.objects.order_by("min_population"),
        "actor_profiles": ActorProfile.objects.order_by("order"),
    }


@require_safe
@admin_required
def reference_lists(request: AuthenticatedHttpRequest) -> HttpResponse:
    template = "pratiques/curation/reference_lists.html"
    if request.htmx:
        template += "#lists"
    return render(request, template, reference_context())


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def reference_edit(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in REFERENCE_FORMS:
        raise Http404("Liste inconnue.")
    model, form_class = REFERENCE_FORMS[kind]
    item = get_object_or_404(model, pk=pk)
    form = form_class(request.POST or None, instance=model._default_manager.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(item, SizeSegment):
                services.size_segment_update(actor=request.user, segment=item, **form.cleaned_data)
            else:
                services.reference_item_update(
                    actor=request.user, item=item, changes=dict(form.cleaned_data)
                )
        except Refused as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                template = "pratiques/curation/reference_lists.html"
                template += "#lists"
                response = render(request, template, reference_context())
                return reswap(retarget(response, "#listes"), "outerHTML")
            messages.success(request, f"« {form.instance} » enregistré.")
            return redirect(reverse("pratiques:curation:reference_lists") + f"#{kind}-{pk}")
    context = {
        "form": form,
        "item": item,
        "kind": kind,
        "action": request.path,
        "title": f"Modifier « {item} » ({model._meta.verbose_name})",
    }
    template = "pratiques/curation/reference_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, context, status=400 if form.errors else 200)
