"""Pages of the development plan: « mon plan » (edited in place, autosaved per item, usable
without JavaScript), adding and removing a practice, sharing and reminders, the stop link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.links import LinkError
from config.roles import Role, role_required
from config.types import AuthenticatedHttpRequest, HtmxHttpRequest
from pratiques.directory.queries import sharers_by_practice
from pratiques.models import DevelopmentPlan, DevelopmentWay, DirectoryProfile, PlanItem
from pratiques.plan import queries
from pratiques.plan.forms import AddPracticeForm, PlanItemForm, PlanSettingsForm
from pratiques.plan.services import (
    PlanRefused,
    plan_item_add,
    plan_item_remove,
    plan_item_update,
    plan_reminders_stop_by_link,
    plan_settings_set,
)

T = "pratiques/plan_detail.html"


@dataclass(frozen=True)
class PlanItemRow:
    """An item as the plan page shows it: its form (bound after a refused save) and who, in the
    directory, can share its practice; never stored on the item itself."""

    item: PlanItem
    form: PlanItemForm
    sharers: list[DirectoryProfile]


def own_plan(request: AuthenticatedHttpRequest, pk: int) -> DevelopmentPlan:
    plan = queries.own_plan(request.user, pk)
    if plan is None:
        raise Http404("Plan introuvable.")
    return plan


def _render(
    request: AuthenticatedHttpRequest,
    plan: DevelopmentPlan,
    *,
    bound: PlanItemForm | None = None,
    add_form: AddPracticeForm | None = None,
    settings_form: PlanSettingsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = queries.plan_page(plan)
    # Who already practises what is sought in partnership (the directory, one query).
    sought = [
        item.practice_key
        for item in page.items
        if item.way in (DevelopmentWay.PARTNERSHIP, DevelopmentWay.BOTH)
    ]
    sharers: dict[Any, list[DirectoryProfile]] = {}
    own: int | None = None
    if sought:
        sharers = sharers_by_practice(request.user, sought, per_practice=4)
        mine = DirectoryProfile.objects.filter(user_id=plan.user_id).values_list("pk", flat=True)
        own = mine.first()
    rows = {
        item.pk: PlanItemRow(
            item=item,
            form=bound
            if bound is not None and bound.item.pk == item.pk
            else PlanItemForm(
                item=item, labels=page.labels, attached=page.attached.get(item.practice_key, [])
            ),
            # The person's own profile is no suggestion (its pk, not its deferred user field).
            sharers=[p for p in sharers.get(item.practice_key, []) if p.pk != own][:3],
        )
        for item in page.items
    }
    context = {
        "p": page,
        "groups": [
            (status, label, [rows[item.pk] for item in items])
            for status, label, items in page.groups
        ],
        "plan": plan,
        "today": timezone.localdate(),
        "add_form": add_form or AddPracticeForm(practices=page.addable),
        "settings_form": settings_form
        or PlanSettingsForm(
            organisations=page.organisations,
            initial={"shared_with": plan.shared_with_id, "reminders": plan.reminders},
        ),
    }
    template = T
    return render(request, template, context, status=status)


@require_safe
@role_required(Role.CATALYST)
def plan_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """« Mon plan »: the plan of the latest submitted assessment."""
    plan = queries.current_plan(request.user)
    if plan is None:
        return render(request, "pratiques/plan_empty.html")
    return redirect(plan)


@require_safe
@role_required(Role.CATALYST)
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render(request, own_plan(request, pk))


def _item_of(request: AuthenticatedHttpRequest, pk: int) -> PlanItem:
    item = (
        PlanItem.objects.filter(pk=pk, plan__user=request.user)
        .select_related("plan__assessment")
        .prefetch_related("resources")
        .first()
    )
    if item is None:
        raise Http404("Élément du plan introuvable.")
    return item


def _item_state(
    request: AuthenticatedHttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    template = "pratiques/plan_detail.html"
    template += "#item_state"
    return render(request, template, context, status=status)


@require_POST
@role_required(Role.CATALYST)
def plan_item_save(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The autosave of one item (HTMX, on each change) and its « Enregistrer » button."""
    item = _item_of(request, pk)
    page_labels = queries.scale_labels_of(item.plan)
    attached = queries.resources_for_practice_keys([item.practice_key]).get(item.practice_key, [])
    form = PlanItemForm(request.POST, item=item, labels=page_labels, attached=attached)
    if form.is_valid():
        try:
            plan_item_update(item_id=item.pk, user=request.user, data=form.data_for_service())
        except PlanRefused as refusal:
            form.add_error(None, refusal)
    if form.errors:
        if request.htmx:
            return _item_state(request, {"item": item, "form": form}, status=400)
        return _render(request, item.plan, bound=form, status=400)
    if not request.htmx:
        messages.success(request, f"{item.practice_code} : enregistré.")
        return HttpResponseRedirect(
            reverse("pratiques:plan_detail", kwargs={"pk": item.plan_id}) + f"#element-{item.pk}"
        )
    return _item_state(
        request,
        {"item": item, "saved_at": timezone.localtime()},
    )


@require_POST
@role_required(Role.CATALYST)
def plan_item_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = own_plan(request, pk)
    page = queries.plan_page(plan)
    form = AddPracticeForm(request.POST, practices=page.addable)
    if form.is_valid():
        try:
            item = plan_item_add(
                plan_id=plan.pk, user=request.user, practice_id=form.cleaned_data["practice"]
            )
        except PlanRefused as refusal:
            form.add_error("practice", refusal)
        else:
            messages.success(request, f"{item.practice_code} ajoutée à votre plan.")
            return HttpResponseRedirect(plan.get_absolute_url() + f"#element-{item.pk}")
    return _render(request, plan, add_form=form, status=400)


@require_POST
@role_required(Role.CATALYST)
def plan_item_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _item_of(request, pk)
    plan_item_remove(item_id=item.pk, user=request.user)
    messages.success(request, f"{item.practice_code} retirée de votre plan.")
    return redirect("pratiques:plan_detail", pk=item.plan_id)


@require_POST
@role_required(Role.CATALYST)
def plan_settings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = own_plan(request, pk)
    organisations = list(request.user.pratiques_organisations.all())
    form = PlanSettingsForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            plan_settings_set(
                plan_id=plan.pk,
                user=request.user,
                shared_with_id=form.cleaned_data["shared_with"],
                reminders=form.cleaned_data["reminders"],
            )
        except PlanRefused as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, "Vos choix de partage et de rappels sont enregistrés.")
            return redirect(plan)
    return _render(request, plan, settings_form=form, status=400)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_reminders_stop(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """« Ne plus recevoir ces rappels »: confirmed by a button (mail scanners follow links)."""
    context: dict[str, Any] = {"token": token}
    if request.method == "POST":
        try:
            plan_reminders_stop_by_link(token=token)
        except LinkError as error:
            context["error"] = str(error)
            return render(request, "pratiques/plan_reminders_stop.html", context, status=400)
        context["stopped"] = True
    return render(request, "pratiques/plan_reminders_stop.html", context)
