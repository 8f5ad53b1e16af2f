from __future__ import annotations

from django.contrib import admin

from pratiques.models import Axis, GridVersion, Practice, ScaleStep, Situation


@admin.register(GridVersion)
class GridVersionAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "status", "published_at", "archived_at"]


@admin.register(Axis)
class AxisAdmin(admin.ModelAdmin):
    list_display = ["version", "code", "title", "lever"]
    list_filter = ["version"]


@admin.register(Situation)
class SituationAdmin(admin.ModelAdmin):
    list_display = ["version", "code", "title", "scope_note"]
    list_filter = ["version"]


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["version", "code", "label"]
    list_filter = ["version"]


@admin.register(ScaleStep)
class ScaleStepAdmin(admin.ModelAdmin):
    list_display = ["version", "scale", "value", "label", "description"]
    list_filter = ["version", "scale"]
