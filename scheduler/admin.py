"""The scheduler in the Django admin: administrators alone, every read audited for what the
sealed operations' planning holds (their set-ups, waves, targets and plans: the sites and the
timing of a raid), and an agency's administrator sees their agency's alone
(backend/core/admin_access.py): an operation's planning follows the operation (its lead's and its
participants'), a routine programme and its planning jobs are the programme's agency's."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backend.audit.admin_mixins import AuditedAdminMixin
from backend.core.admin_access import (
    AgencyRecordsListFilter,
    AgencyScopedAdminMixin,
    AuditedReadsAdminMixin,
)
from backend.registry.admin import unit_choice_field
from scheduler.models import OperationSetup, PlanningJob, Programme, Target, Wave


@admin.register(OperationSetup)
class OperationSetupAdmin(
    AgencyScopedAdminMixin, AuditedReadsAdminMixin, AuditedAdminMixin, admin.ModelAdmin
):
    list_display = ("operation", "muster_unit", "team_min_size", "team_max_size", "female_officer")
    list_select_related = ("operation", "muster_unit")
    search_fields = ("operation__name",)
    autocomplete_fields = ("operation",)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "muster_unit":  # any agency's unit: each with its agency
            kwargs = {**unit_choice_field(), **kwargs}
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Wave)
class WaveAdmin(AgencyScopedAdminMixin, AuditedReadsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("operation", "code", "starts_at")
    list_filter = (("operation", AgencyRecordsListFilter),)
    list_select_related = ("operation",)
    search_fields = ("operation__name", "code")
    autocomplete_fields = ("operation",)


@admin.register(Target)
class TargetAdmin(AgencyScopedAdminMixin, AuditedReadsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("operation", "site", "wave", "priority", "category")
    list_filter = ("category", "priority", ("operation", AgencyRecordsListFilter))
    search_fields = ("operation__name", "site__name_en")
    list_select_related = ("operation", "site", "wave")
    autocomplete_fields = ("operation", "site")


@admin.register(Programme)
class ProgrammeAdmin(AgencyScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "agency", "start_date", "end_date", "status")
    list_filter = ("status", "agency")
    search_fields = ("name",)
    filter_horizontal = ("officers", "planners")


@admin.register(PlanningJob)
class PlanningJobAdmin(AgencyScopedAdminMixin, AuditedReadsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("uuid", "operation", "programme", "status", "progress", "best_objective", "created_at")
    list_filter = ("status", ("operation", AgencyRecordsListFilter))
    list_select_related = ("operation", "programme")
    search_fields = ("uuid", "operation__name", "programme__name")

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [f.name for f in PlanningJob._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
