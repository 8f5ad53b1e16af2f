"""Territories in the Django admin: projects can be archived there, and deleted when nothing
refers to them (Django's own protected-objects page gives the reason otherwise)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import Action, ActionLocation
from django.db.models import QuerySet
from django.http import HttpRequest

from territoires.models import Level, Territory
from territoires.services import project_archive


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "code", "population", "is_demo", "archived_at"]
    list_filter = ["level", "is_demo", "archived_at"]
    search_fields = ["name", "code"]
    readonly_fields = ["search_name", "former_names", "created_at", "updated_at"]
    raw_id_fields = ["region", "departement", "epci", "commune", "created_by"]
    exclude = ["search_prefixes", "members"]
    actions = ["archive", "unarchive"]

    def has_delete_permission(self, request: HttpRequest, obj: Territory | None = None) -> bool:
        # Only projects are created by people; the geography comes from the official source.
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.level == Level.PROJECT
        )

    def get_actions(
        self, request: HttpRequest, action_location: ActionLocation = ActionLocation.CHANGE_LIST
    ) -> dict[str, Action | None]:
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # one project at a time, with its reason if refused
        return actions

    @admin.action(description="Archiver les territoires de projet choisis")
    def archive(self, request: HttpRequest, queryset: QuerySet[Territory]) -> None:
        for project in queryset.filter(level=Level.PROJECT):
            project_archive(project=project, archived=True)

    @admin.action(description="Désarchiver les territoires de projet choisis")
    def unarchive(self, request: HttpRequest, queryset: QuerySet[Territory]) -> None:
        for project in queryset.filter(level=Level.PROJECT):
            project_archive(project=project, archived=False)
