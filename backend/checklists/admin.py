from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from backend.audit.admin_mixins import AuditedAdminMixin
from backend.checklists import services
from backend.checklists.models import ChecklistTemplate, TemplateVersion
from backend.core.errors import DomainError


class TemplateVersionInline(admin.TabularInline):
    model = TemplateVersion
    fields = ("number", "status", "published_at", "digest")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "title_en", "title_zh_hant", "title_pt", "several_per_visit")
    list_filter = ("several_per_visit",)
    search_fields = ("code", "title_en", "title_zh_hant", "title_pt")
    inlines = [TemplateVersionInline]
    readonly_fields = ("code", "site_kinds", "categories")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A template comes with its first version's definition (its code, site kinds and
        # categories): one added here had no code, and the second such add was a server error.
        return False


class TemplateVersionForm(forms.ModelForm):
    """A draft's definition is checked by the checklist engine as it is saved, so an error is
    shown on the field rather than found by the phones."""

    class Meta:
        model = TemplateVersion
        fields = "__all__"  # noqa: DJ007  (get_readonly_fields chooses what may change)

    def clean_definition(self) -> Any:
        definition = self.cleaned_data["definition"]
        try:
            services.definition_check(definition=definition, template=self.instance.template)
        except services.DefinitionInvalid as exc:
            raise forms.ValidationError(exc.detail) from exc
        return definition


@admin.register(TemplateVersion)
class TemplateVersionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Versions are created from definitions (``manage.py load_checklists``, or "New draft from
    this version" here), edited while drafts, checked and published here; a published version is
    read-only."""

    form = TemplateVersionForm

    list_display = ("template", "number", "status", "published_at", "created_at")
    list_filter = ("status", "template")
    search_fields = ("template__code", "template__title_en", "digest")
    list_select_related = ("template",)
    actions = ["draft_from", "publish", "retire"]

    def get_readonly_fields(self, request: HttpRequest, obj: TemplateVersion | None = None) -> list[str]:
        fields = ["template", "number", "digest", "status", "published_at", "created_at"]
        if obj is not None and obj.status != TemplateVersion.Status.DRAFT:
            fields.append("definition")
        return fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: TemplateVersion, form: object, change: bool) -> None:
        obj.digest = services.definition_digest(obj.definition)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("New draft from this version"))
    def draft_from(self, request: HttpRequest, queryset: QuerySet[TemplateVersion]) -> HttpResponse | None:
        made = []
        for version in queryset.select_related("template"):
            try:
                made.append(
                    services.template_version_draft_from(actor=request.user, version=version, request=request)
                )
            except DomainError as exc:
                self.message_user(request, exc.detail, messages.ERROR)
        for draft in made:
            self.message_user(
                request,
                _("%(draft)s made: edit its definition, then publish it.") % {"draft": draft},
                messages.SUCCESS,
            )
        if len(made) == 1:
            return HttpResponseRedirect(reverse("admin:checklists_templateversion_change", args=[made[0].pk]))
        return None

    @admin.action(description=_("Publish the selected draft versions"))
    def publish(self, request: HttpRequest, queryset: QuerySet[TemplateVersion]) -> None:
        for version in queryset:
            try:
                services.template_version_publish(actor=request.user, version=version)
            except DomainError as exc:
                self.message_user(request, f"{version}: {exc.detail}", messages.ERROR)

    @admin.action(description=_("Retire the selected versions (no new work; submissions still accepted)"))
    def retire(self, request: HttpRequest, queryset: QuerySet[TemplateVersion]) -> None:
        for version in queryset:
            try:
                services.template_version_retire(actor=request.user, version=version)
            except DomainError as exc:
                self.message_user(request, f"{version}: {exc.detail}", messages.ERROR)
