from __future__ import annotations

from django.contrib import admin

from observatoire.models import ImportRun, Indicator, ReportBatch


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "label",
        "fragility",
        "polarity",
        "unit",
        "vintage",
        "additive",
        "is_demo",
    ]
    list_filter = ["collection", "fragility", "polarity", "additive", "is_demo"]
    search_fields = ["code", "label", "source"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "dry_run",
        "file_name",
        "user",
        "status",
        "created",
        "updated",
        "unchanged",
        "duration",
    ]
    list_filter = ["kind", "dry_run", "status"]
    readonly_fields = [field.name for field in ImportRun._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(ReportBatch)
class ReportBatchAdmin(admin.ModelAdmin):
    list_display = ["created_at", "level", "status", "done", "total", "failed", "per_minute"]
    list_filter = ["level", "status"]
    readonly_fields = [field.name for field in ReportBatch._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
