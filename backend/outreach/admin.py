"""Outreach in the Django admin: entry by hand, and a CSV import (the same service as
``manage.py import_outreach``) from a button on each list. Every save and delete is audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from backend.audit.admin_mixins import AuditedAdminMixin
from backend.outreach.models import Activity, HotlineCall
from backend.outreach.services import ACTIVITY_COLUMNS, HOTLINE_COLUMNS, ImportRejected, outreach_import_csv


class CsvImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file (UTF-8, with a header row)"))


class CsvImportAdminMixin:
    """Adds ``import/`` to the admin of an outreach model."""

    import_what = ""
    import_columns: list[str] = []
    change_list_template = "admin/outreach/change_list_with_import.html"

    def get_urls(self) -> list[Any]:
        info = self.model._meta.app_label, self.model._meta.model_name  # type: ignore[attr-defined]
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),  # type: ignore[attr-defined]
                name=f"{info[0]}_{info[1]}_import",
            )
        ]
        return own + super().get_urls()  # type: ignore[misc]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        form = CsvImportForm(request.POST or None, request.FILES or None)
        errors: dict[str, list[str]] = {}
        if request.method == "POST" and form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8")
                result = outreach_import_csv(
                    what=self.import_what, text=text, actor=request.user, request=request
                )
            except UnicodeDecodeError:
                errors = {"file": [_t("The file is not UTF-8 text.")]}
            except ImportRejected as exc:
                errors = exc.errors
            else:
                self.message_user(  # type: ignore[attr-defined]
                    request, _t("%d rows imported.") % result.created, messages.SUCCESS
                )
                info = self.model._meta.app_label, self.model._meta.model_name  # type: ignore[attr-defined]
                return HttpResponseRedirect(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "title": _t("Import from CSV"),
            "opts": self.model._meta,  # type: ignore[attr-defined]
            "form": form,
            "errors": errors,
            "columns": self.import_columns,
        }
        return TemplateResponse(request, "admin/outreach/import.html", context)


@admin.register(Activity)
class ActivityAdmin(CsvImportAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    import_what = "activities"
    import_columns = ACTIVITY_COLUMNS
    list_display = ("held_on", "kind", "audience", "organiser", "organiser_text", "sessions", "participants")
    list_filter = ("kind", "audience", "organiser")
    date_hierarchy = "held_on"
    search_fields = ("title", "organiser_text")


@admin.register(HotlineCall)
class HotlineCallAdmin(CsvImportAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    import_what = "hotline_calls"
    import_columns = HOTLINE_COLUMNS
    list_display = ("received_on", "hotline", "kind", "outcome")
    list_filter = ("hotline", "kind", "outcome")
    date_hierarchy = "received_on"
