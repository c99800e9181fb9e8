"""Report facts are kept by administrators here (audited). Published reports are shown
read-only: they are frozen by ``services.report_publish`` and never edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backend.audit.admin_mixins import AuditedAdminMixin
from backend.reporting.models import PublishedReport, ReportFact


@admin.register(ReportFact)
class ReportFactAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("key", "label_en", "value", "unit", "verified", "updated_at")
    list_editable = ("value",)
    search_fields = ("key", "label_en", "label_zh_hant", "label_pt", "source")


@admin.register(PublishedReport)
class PublishedReportAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "published_at", "published_by", "suppression_threshold")
    readonly_fields = (
        "year_from",
        "year_to",
        "figures",
        "suppression_threshold",
        "published_at",
        "published_by",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
