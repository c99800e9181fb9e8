"""Operations, teams, inspections and what the field sends: administrators alone, every read
audited (sealed operations and screenings' answers are here; see backend/core/admin_access.py),
and an agency's administrator sees their agency's alone: the operations it leads or takes part in
and what hangs from them, its routine work, what its officers sent and the findings it reviews."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from backend.audit.admin_mixins import AuditedAdminMixin
from backend.checklists.models import TemplateVersion
from backend.core.admin_access import (
    AgencyRecordsListFilter,
    AgencyScopedAdminMixin,
    AuditedReadsAdminMixin,
)
from backend.inspections import selectors, services
from backend.inspections.models import (
    Attachment,
    CheckIn,
    Finding,
    Inspection,
    Operation,
    Submission,
    Team,
)


@admin.register(Operation)
class OperationAdmin(AgencyScopedAdminMixin, AuditedReadsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "lead_agency", "status", "starts_at", "ends_at", "reveal_at")
    list_filter = ("status", "lead_agency", "agencies")
    search_fields = ("name", "uuid")
    date_hierarchy = "starts_at"
    filter_horizontal = ("agencies", "planners")
    autocomplete_fields = ("lead_agency",)


@admin.register(Team)
class TeamAdmin(AgencyScopedAdminMixin, AuditedReadsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "operation", "leader")
    list_filter = (("operation", AgencyRecordsListFilter),)
    search_fields = ("name", "members__full_name", "members__badge_number")
    filter_horizontal = ("members",)
    autocomplete_fields = ("leader", "operation")
    readonly_fields = ("names",)

    def save_model(self, request, obj, form, change):
        # A name given by hand is the team's one name in every language: the plan's names in
        # each language would otherwise still be read in their place.
        if change and "name" in form.changed_data:
            obj.names = {}
        super().save_model(request, obj, form, change)


class InspectionForm(forms.ModelForm):
    """An inspection is done by a team of its own operation (routine work: a team of none). A team
    of another operation put a joint visit, which every agency taking part reads, in the hands of
    a sealed raid's team, whose name and members it then showed before the raid's reveal."""

    class Meta:
        model = Inspection
        fields = "__all__"  # noqa: DJ007  (the admin's fields, as before this form)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        team, operation = cleaned.get("team"), cleaned.get("operation")
        if team is not None and team.operation_id != (operation.pk if operation is not None else None):
            self.add_error("team", _("This team works in another operation than the inspection's."))
        return cleaned


@admin.register(Inspection)
class InspectionAdmin(AgencyScopedAdminMixin, AuditedReadsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("site", "category", "status", "planned_start", "team", "operation", "priority")
    list_filter = (
        "status",
        "category",
        ("operation", AgencyRecordsListFilter),
        "site__kind",
        "site__parish",
    )
    search_fields = ("site__name_en", "site__name_zh_hant", "site__name_pt", "uuid")
    date_hierarchy = "planned_start"
    list_select_related = ("site", "team", "operation")
    autocomplete_fields = ("site", "team", "operation")
    filter_horizontal = ("additional_versions",)
    form = InspectionForm

    # A draft checklist version is the administrators' alone: an officer's phone cannot download
    # it and no submission is taken on it, so an inspection issued on one could not be done. Its
    # checklists are those ``inspection_issue`` issues: published (or retired) versions.
    VERSION_FIELDS = ("template_version", "additional_versions")

    def _usable_versions(self, field: Any) -> Any:
        field.queryset = field.queryset.exclude(status=TemplateVersion.Status.DRAFT)
        field.error_messages["invalid_choice"] = _(
            "Only published checklist versions can be issued: a draft is not yet seen by the officers."
        )
        return field

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._usable_versions(field) if db_field.name in self.VERSION_FIELDS and field else field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._usable_versions(field) if db_field.name in self.VERSION_FIELDS and field else field


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ("name", "content_type", "size", "sha256", "received_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class FindingInline(admin.TabularInline):
    model = Finding
    fields = (
        "violation_code",
        "severity",
        "competent_agency_code",
        "entry_path",
        "potential_victim",
        "status",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class DuplicateChecklistFilter(admin.SimpleListFilter):
    """The current checklists that a colleague's of the same template stands beside on one visit
    (from before the one-sender rule): what ``checklist_duplicates`` lists, to settle here."""

    title = _("duplicate checklists")
    parameter_name = "duplicate"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("beside a colleague's of the same checklist"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Submission]) -> QuerySet[Submission]:
        if self.value() != "yes":
            return queryset
        ids = [s.pk for group in selectors.checklist_duplicates() for s in group]
        return queryset.filter(pk__in=ids)


@admin.register(Submission)
class SubmissionAdmin(AgencyScopedAdminMixin, AuditedReadsAdminMixin, admin.ModelAdmin):
    """Evidence: read-only. Deleting leaves a tombstone (through the service) so that no phone
    can bring the submission back by replaying it."""

    list_display = ("uuid", "inspection", "officer", "revision", "status", "received_at", "clock_skewed")
    list_filter = ("status", "clock_skewed", "inspection__category", DuplicateChecklistFilter)
    search_fields = ("uuid", "officer__full_name", "inspection__site__name_en")
    date_hierarchy = "received_at"
    list_select_related = ("inspection__site", "officer")
    inlines = [AttachmentInline, FindingInline]
    actions = ["delete_with_tombstone"]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [f.name for f in Submission._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict:  # type: ignore[type-arg]
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_with_tombstone", None)
        return actions

    @admin.action(description=_("Delete the selected submissions (kept as tombstones, findings withdrawn)"))
    def delete_with_tombstone(self, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
        for submission in queryset.exclude(status=Submission.Status.DELETED):
            services.submission_delete(
                actor=request.user, submission=submission, reason="deleted in the admin"
            )
        self.message_user(request, _("Deleted."), messages.SUCCESS)


@admin.register(Finding)
class FindingAdmin(AgencyScopedAdminMixin, AuditedReadsAdminMixin, admin.ModelAdmin):
    list_display = (
        "violation_code",
        "severity",
        "competent_agency_code",
        "potential_victim",
        "status",
        "created_at",
    )
    list_filter = ("status", "severity", "violation_code", "competent_agency_code", "potential_victim")
    search_fields = ("uuid", "rule_code", "violation_code", "legal_basis")
    list_select_related = ("inspection__site",)

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [f.name for f in Finding._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CheckIn)
class CheckInAdmin(AgencyScopedAdminMixin, AuditedReadsAdminMixin, admin.ModelAdmin):
    list_display = ("inspection", "officer", "distance_m", "outside_radius", "clock_skewed", "received_at")
    list_filter = ("outside_radius", "clock_skewed")
    search_fields = ("uuid", "officer__full_name")
    list_select_related = ("inspection__site", "officer")

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [f.name for f in CheckIn._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
