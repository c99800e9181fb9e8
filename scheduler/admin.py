from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backend.audit.admin_mixins import AuditedAdminMixin
from backend.registry.admin import unit_choice_field
from scheduler.models import OperationSetup, PlanningJob, Programme, Target, Wave


@admin.register(OperationSetup)
class OperationSetupAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("operation", "muster_unit", "team_min_size", "team_max_size", "female_officer")
    list_select_related = ("operation", "muster_unit")
    search_fields = ("operation__name",)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "muster_unit":  # any agency's unit: each with its agency
            kwargs = {**unit_choice_field(), **kwargs}
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Wave)
class WaveAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("operation", "code", "starts_at")
    search_fields = ("operation__name", "code")


@admin.register(Target)
class TargetAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("operation", "site", "wave", "priority", "category")
    list_filter = ("category", "priority")
    search_fields = ("operation__name", "site__name_en")
    list_select_related = ("operation", "site", "wave")
    autocomplete_fields = ("site",)


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "agency", "start_date", "end_date", "status")
    list_filter = ("status", "agency")
    search_fields = ("name",)
    filter_horizontal = ("officers", "planners")


@admin.register(PlanningJob)
class PlanningJobAdmin(admin.ModelAdmin):
    list_display = ("uuid", "operation", "programme", "status", "progress", "best_objective", "created_at")
    list_filter = ("status",)
    search_fields = ("uuid", "operation__name", "programme__name")

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [f.name for f in PlanningJob._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
