"""The scheduler in the Django admin: administrators alone, every read audited for what the
sealed operations' planning holds (their set-ups, waves, targets and plans: the sites and the
timing of a raid), and an agency's administrator sees their agency's alone
(backend/core/admin_access.py): an operation's planning follows the operation (its lead's and its
participants'), a routine programme and its planning jobs are the programme's agency's."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from backend.audit.admin_mixins import AuditedAdminMixin
from backend.core.admin_access import (
    AgencyRecordsListFilter,
    AgencyScopedAdminMixin,
    AuditedReadsAdminMixin,
    agency_records,
)
from backend.core.i18n import list_separator
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


class TargetForm(forms.ModelForm):
    """A target's wave is one of its own operation's. Another operation's was taken (any the
    administrator's agency may pick): a joint sweep's target put in the police's sealed raid's
    wave named the raid and its wave ("Harbour raid W1") to every agency taking part in the sweep."""

    class Meta:
        model = Target
        fields = "__all__"  # noqa: DJ007  (the admin's fields, as before this form)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        wave, operation = cleaned.get("wave"), cleaned.get("operation")
        if wave is not None and operation is not None and wave.operation_id != operation.pk:
            self.add_error(
                "wave", _("This wave is another operation's: choose one of the target's operation.")
            )
        return cleaned


@admin.register(Target)
class TargetAdmin(AgencyScopedAdminMixin, AuditedReadsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    form = TargetForm
    list_display = ("operation", "site", "wave", "priority", "category")
    list_filter = ("category", "priority", ("operation", AgencyRecordsListFilter))
    search_fields = ("operation__name", "site__name_en")
    list_select_related = ("operation", "site", "wave")
    autocomplete_fields = ("operation", "site")


class ProgrammeForm(forms.ModelForm):
    """A routine programme plans with its own agency's officers (pairs form within one agency,
    scheduler/solver/pairs.py): another agency's officer named among them is refused on the
    field, whoever saves it. Its planners may be any agency's (an agency lends its programme to
    another's planner)."""

    class Meta:
        model = Programme
        fields = (
            "name",
            "agency",
            "start_date",
            "end_date",
            "officers",
            "planners",
            "work_in_pairs",
            "status",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        agency = cleaned.get("agency")
        officers = cleaned.get("officers")
        if agency is not None and officers is not None:
            others = [officer for officer in officers if officer.agency_id != agency.pk]
            if others:
                self.add_error(
                    "officers",
                    _("Only officers of %(agency)s can work in its programme, not %(names)s.")
                    % {"agency": agency, "names": list_separator().join(o.full_name for o in others)},
                )
        return cleaned


@admin.register(Programme)
class ProgrammeAdmin(AgencyScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    form = ProgrammeForm
    list_display = ("name", "agency", "start_date", "end_date", "status")
    list_filter = ("status", "agency")
    search_fields = ("name",)
    filter_horizontal = ("officers", "planners")

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """The officers offered are the administrator's agency's alone (every agency's offered
        them another's to name); a forged choice of another's is told so, not "not one of the
        available choices". The planners stay every agency's."""
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "officers" and field is not None:
            field.queryset = agency_records(request.user, field.queryset)
            field.error_messages["invalid_choice"] = _(
                "Only your agency's officers can work in its programme: %(value)s is not one of them."
            )
        return field


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
