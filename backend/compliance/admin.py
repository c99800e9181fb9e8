"""Compliance in the Django admin. Administrators keep the violation catalogue's defaults here;
decisions (reviews, cases, referrals, scores) are made through the reviewers' API, where the
rules live, so the admin shows them read-only. Every save and delete here is audited. An agency's
administrator sees their agency's reviews, cases, prosecution records and the referrals it made
or received (backend/core/admin_access.py); scores are of companies, shared.

The personal details of referred persons are deliberately absent: they are read only through
the audited selector, by the victim-protection role."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backend.audit.admin_mixins import AuditedAdminMixin
from backend.compliance.models import (
    CaseEvent,
    ComplianceCase,
    ComplianceScore,
    ProsecutionRecord,
    ProtectionService,
    Referral,
    Review,
    Violation,
)
from backend.compliance.services import violation_legal_basis_confirm
from backend.core.admin_access import AgencyScopedAdminMixin, AuditedReadsAdminMixin
from backend.core.errors import DomainError


@admin.register(Violation)
class ViolationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = (
        "code",
        "title_en",
        "default_severity",
        "corrective_days",
        "competent_agency_code",
        "defaults_verified",
        "legal_basis_verified",
    )
    list_editable = ("default_severity", "corrective_days", "competent_agency_code")
    list_filter = ("default_severity", "competent_agency_code", "defaults_verified", "legal_basis_verified")
    search_fields = ("code", "title_en", "title_zh_hant", "title_pt", "legal_basis")
    # Confirming a legal basis is an act of its own (the action below), audited with its text.
    readonly_fields = ("legal_basis_verified", "legal_basis_confirmed_by", "legal_basis_confirmed_at")
    actions = ["confirm_legal_basis"]

    @admin.action(description=_("Confirm the legal basis of the selected breaches (checked against the law)"))
    def confirm_legal_basis(self, request: HttpRequest, queryset: QuerySet[Violation]) -> None:
        confirmed = 0
        for violation in queryset:
            try:
                violation_legal_basis_confirm(actor=request.user, violation=violation, request=request)
            except DomainError as exc:
                self.message_user(request, exc.detail, messages.ERROR)
                return
            confirmed += 1
        self.message_user(
            request,
            ngettext(
                "The legal basis of %(count)d breach is confirmed.",
                "The legal basis of %(count)d breaches is confirmed.",
                confirmed,
            )
            % {"count": confirmed},
            messages.SUCCESS,
        )


class ReadOnlyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(AgencyScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("submission", "agency", "decision", "decided_by", "decided_at")
    list_filter = ("decision", "agency")
    list_select_related = ("submission__inspection__site", "agency", "decided_by__agency")


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ("at", "kind", "code", "actor_label", "reason", "data")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ComplianceCase)
class ComplianceCaseAdmin(AgencyScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("short_ref", "agency", "company", "site", "status", "deadline", "outcome")
    list_filter = ("status", "outcome", "agency")
    list_select_related = ("agency", "company", "site")
    search_fields = ("uuid", "company__name_en", "site__name_en")
    inlines = [CaseEventInline]


@admin.register(ComplianceScore)
class ComplianceScoreAdmin(ReadOnlyAdmin):
    list_display = ("company", "score", "computed_at", "window_start", "window_end")
    list_select_related = ("company",)
    search_fields = ("company__name_en",)


class ProtectionServiceInline(admin.TabularInline):
    model = ProtectionService
    extra = 0
    # The provider's name says which shelter holds the person, and the note where: both are
    # personal data (encrypted, read by victim protection with a reason), so neither is here.
    fields = ("kind", "provider_kind", "started_on", "ended_on")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Referral)
class ReferralAdmin(AgencyScopedAdminMixin, AuditedReadsAdminMixin, ReadOnlyAdmin):
    # Coded fields only: nothing here identifies the person.
    list_display = (
        "uuid",
        "urgency",
        "status",
        "assessment",
        "nationality_band",
        "sex",
        "age_band",
        "created_at",
    )
    list_filter = ("urgency", "status", "assessment", "nationality_band", "sex", "age_band")
    exclude = ("key",)
    inlines = [ProtectionServiceInline]


@admin.register(ProsecutionRecord)
class ProsecutionRecordAdmin(AgencyScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("file_reference", "kind", "offence", "on", "agency", "defendants")
    list_filter = ("kind", "offence", "agency")
    date_hierarchy = "on"
