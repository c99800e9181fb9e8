"""The registry in the Django admin, for administrators and clerks. Every save and delete here
leaves an audit entry (AuditedAdminMixin); one-row rules still hold because the admin's forms
call each model's clean(). An agency's administrator manages their own agency's units, officers,
shifts and conflicts of interest (AgencyScopedAdminMixin); agencies, skills, companies and sites
are shared."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backend.accounts.services import (
    logins_unlock,
    officer_deactivate,
    officer_reactivate,
    officers_deactivate,
)
from backend.audit.admin_mixins import AuditedAdminMixin
from backend.core.admin_access import AgencyScopedAdminMixin, admin_agency_id, agency_records
from backend.core.i18n import list_separator
from backend.core.strict_input import ascii_digits
from backend.registry import services
from backend.registry.models import (
    Agency,
    Availability,
    Company,
    ConflictOfInterest,
    Officer,
    OfficerRole,
    OpeningHours,
    Role,
    Site,
    Skill,
    Unit,
)

NAMES = ("name_en", "name_zh_hant", "name_pt")


@admin.register(Agency)
class AgencyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Every agency's administrator reads the agencies; only a login with no officer record (the
    system's own, ``createsuperuser``'s) adds, renames or removes one, or changes whether it sends
    inspectors: PSP's administrator could rename DSAL."""

    list_display = ("code", *NAMES, "inspects")
    list_filter = ("inspects",)
    search_fields = ("code", *NAMES)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return admin_agency_id(request.user) is None and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin_agency_id(request.user) is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin_agency_id(request.user) is None and super().has_delete_permission(request, obj)


@admin.register(Unit)
class UnitAdmin(AgencyScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_en", "name_zh_hant", "agency", "parish", "address")
    list_filter = (("agency", admin.RelatedOnlyFieldListFilter), "parish")
    list_select_related = ("agency",)
    search_fields = ("code", *NAMES, "address", "address_zh_hant", "agency__code")
    autocomplete_fields = ("agency",)
    readonly_fields = ("uuid",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Unit]:
        # The agency is read for every unit the officer form's picker lists (autocomplete_label).
        return super().get_queryset(request).select_related("agency")

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Unit], search_term: str) -> Any:
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        agency = request.GET.get("agency", "")
        # An id's digits alone, within a column: thirty digits were a server error.
        is_id = ascii_digits(agency) and len(agency) <= 18
        if request.path == reverse("admin:autocomplete") and is_id:
            # A unit picker whose form has an agency chosen (data-agency-field, sent by
            # console/admin.js) offers that agency's units only: any other is refused on saving.
            queryset = queryset.filter(agency_id=int(agency))
        return queryset, may_have_duplicates

    def autocomplete_label(self, obj: Unit) -> str:
        """The text of a unit among the picker's search results (the admin site's autocomplete
        view asks its model admin for it: backend.console.admin_site)."""
        return obj.name_with_agency()


class UnitChoiceField(forms.ModelChoiceField):
    """A unit picked from all agencies' units: "Name (AGENCY)". Give it a queryset with the
    agency selected (``unit_choice_field``), or each label costs a query."""

    def label_from_instance(self, obj: Unit) -> str:
        return obj.name_with_agency()


def unit_choice_field() -> dict[str, Any]:
    """The keyword arguments of a foreign key's form field that picks a unit."""
    return {"form_class": UnitChoiceField, "queryset": Unit.objects.select_related("agency")}


class UnitListFilter(admin.RelatedFieldListFilter):
    """The unit filter of a list, each unit with its agency, in one query (an agency's
    administrator's own agency's units)."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:
        units = agency_records(request.user, Unit.objects.select_related("agency"))
        return [(u.pk, u.name_with_agency()) for u in units]


@admin.register(Skill)
class SkillAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", *NAMES, "kind")
    list_filter = ("kind",)
    search_fields = ("code", *NAMES)


class OfficerRoleInline(admin.TabularInline):
    model = OfficerRole
    extra = 0
    min_num = 1  # an officer without a role could sign in and do nothing


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(Role.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Officer]) -> QuerySet[Officer]:
        # One row per officer and role (a unique constraint), so the join adds no duplicates.
        return queryset.filter(roles__role=self.value()) if self.value() else queryset


@admin.register(Officer)
class OfficerAdmin(AgencyScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = (
        "badge_number",
        "full_name",
        "agency_code",
        "unit",
        "rank",
        "rank_title_in_language",
        "sex",
        "role_list",
        "is_active",
    )
    list_display_links = ("badge_number", "full_name")
    # The agencies and units an administrator's list holds: their own alone, unless they have
    # no officer record.
    list_filter = (
        ("agency", admin.RelatedOnlyFieldListFilter),
        ("unit", UnitListFilter),
        RoleFilter,
        "sex",
        "is_active",
        "skills",
    )
    list_select_related = ("agency", "unit")
    # The external id too: the import and its refusals name officers by it ("PSP-004512").
    search_fields = ("badge_number", "full_name", "user__username", "agency__code", "external_id")
    autocomplete_fields = ("user", "agency", "unit")
    filter_horizontal = ("skills",)
    readonly_fields = ("uuid",)
    inlines = (OfficerRoleInline,)
    actions = ["deactivate_selected", "unlock_sign_in"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Officer]:
        return super().get_queryset(request).prefetch_related("roles")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "unit":
            kwargs = {**unit_choice_field(), **kwargs}
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "unit" and field is not None:
            # The picker searches the units of the agency chosen beside it (console/admin.js).
            field.widget.attrs["data-agency-field"] = "agency"
        return field

    def get_readonly_fields(self, request: HttpRequest, obj: Officer | None = None) -> Any:
        # The login is chosen once: moved to another login, the old one would keep the admin
        # rights the administrator role gave it.
        return (*self.readonly_fields, "user") if obj is not None else self.readonly_fields

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # the roles inline is saved by now
        officer = form.instance
        if change and "is_active" in form.changed_data:
            # Deactivated: every sign-in it holds ends; reactivated: none comes back.
            (officer_reactivate if officer.is_active else officer_deactivate)(
                actor=request.user, officer=officer, request=request
            )
        services.officer_admin_rights_sync(actor=request.user, officer=officer, request=request)

    def delete_model(self, request: HttpRequest, obj: Officer) -> None:
        with transaction.atomic():
            services.officer_admin_rights_sync(actor=request.user, officer=obj, request=request, leaving=True)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Officer]) -> None:
        with transaction.atomic():
            for officer in queryset:
                services.officer_admin_rights_sync(
                    actor=request.user, officer=officer, request=request, leaving=True
                )
            super().delete_queryset(request, queryset)

    # The agency by its code ("PSP"), as the console names it: its full name ("PSP – Public
    # Security Police") widened the list past a 1366-pixel screen.
    @admin.display(description=_("agency"), ordering="agency__code")
    def agency_code(self, obj: Officer) -> str:
        return obj.agency.code

    @admin.display(description=_("rank title"), ordering="rank_title")
    def rank_title_in_language(self, obj: Officer) -> str:
        return obj.rank_title_shown

    @admin.display(description=_("roles"))
    def role_list(self, obj: Officer) -> str:
        return list_separator().join(sorted(r.get_role_display() for r in obj.roles.all()))

    @admin.action(
        description=_("Unlock sign-in for the selected officers (after too many wrong passwords)"),
        permissions=["change"],
    )
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[Officer]) -> None:
        """An officer locked out by too many wrong passwords signs in again at once, on the
        console and on the phone, without waiting for the lock to lift (``logins_unlock``)."""
        officers = list(queryset.select_related("user"))
        logins_unlock(actor=request.user, users=[o.user for o in officers], request=request)
        # A deactivated officer is unlocked too (their counts are forgotten) but signs in nowhere:
        # telling the administrator they "may sign in again now" was untrue of a leaver.
        active = [o for o in officers if o.is_active and o.user.is_active]
        if active:
            self.message_user(
                request,
                ngettext(
                    "%(count)d officer may sign in again now, on the console and on the phone.",
                    "%(count)d officers may sign in again now, on the console and on the phone.",
                    len(active),
                )
                % {"count": len(active)},
                messages.SUCCESS,
            )
        if inactive := len(officers) - len(active):
            self.message_user(
                request,
                ngettext(
                    "%(count)d officer selected is deactivated and still cannot sign in: tick their "
                    "Active box to let them back.",
                    "%(count)d officers selected are deactivated and still cannot sign in: tick their "
                    "Active boxes to let them back.",
                    inactive,
                )
                % {"count": inactive},
                messages.WARNING,
            )

    @admin.action(description=_("Deactivate the selected officers (leavers)"), permissions=["change"])
    def deactivate_selected(
        self, request: HttpRequest, queryset: QuerySet[Officer]
    ) -> TemplateResponse | None:
        """Several leavers at once, after a page that lists who will be deactivated: each is
        deactivated as the officer's own page does (phones' and scripts' tokens revoked, console
        sessions ended, admin rights withdrawn, each audited), their sessions in one pass over the
        session table (``officers_deactivate``). The administrator's own record is never among them
        (it would sign them out mid-way), nor an officer already inactive."""
        chosen = list(queryset.select_related("agency", "unit", "user").prefetch_related("roles"))
        yourself = [o for o in chosen if o.user_id == request.user.pk]
        inactive = [o for o in chosen if not o.is_active and o.user_id != request.user.pk]
        leavers = [o for o in chosen if o.is_active and o.user_id != request.user.pk]
        if not leavers:
            self.message_user(request, _bulk_refusal(yourself, inactive), messages.WARNING)
            return None
        if request.POST.get("post") == "yes":
            officers_deactivate(actor=request.user, officers=leavers, request=request)  # all or none
            self.message_user(
                request,
                ngettext(
                    "%(count)d officer deactivated: their phones, scripts and console sessions are "
                    "signed out.",
                    "%(count)d officers deactivated: their phones, scripts and console sessions are "
                    "signed out.",
                    len(leavers),
                )
                % {"count": len(leavers)},
                messages.SUCCESS,
            )
            if yourself or inactive:
                self.message_user(request, _bulk_refusal(yourself, inactive), messages.WARNING)
            return None
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            "admin/registry/officer/deactivate_selected_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Deactivate officers"),
                "subtitle": None,
                "opts": self.opts,
                "leavers": leavers,
                "yourself": yourself,
                "inactive": inactive,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "media": self.media,
            },
        )


def _bulk_refusal(yourself: list[Officer], inactive: list[Officer]) -> str:
    parts = []
    if yourself:
        parts.append(str(_("Your own officer record is not deactivated here: ask another administrator.")))
    if inactive:
        parts.append(
            ngettext(
                "%(count)d officer selected was already inactive and is left as it is.",
                "%(count)d officers selected were already inactive and are left as they are.",
                len(inactive),
            )
            % {"count": len(inactive)}
        )
    return " ".join(parts) or str(_("No officer selected is deactivated."))


@admin.register(Availability)
class AvailabilityAdmin(AgencyScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("officer", "kind", "start", "end", "note")
    list_filter = ("kind", ("officer__agency", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("officer__agency",)
    search_fields = ("officer__full_name", "officer__badge_number", "note")
    autocomplete_fields = ("officer",)
    date_hierarchy = "start"


@admin.register(Company)
class CompanyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name_en", "name_zh_hant", "kind", "registration_number", "main_contractor", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("main_contractor",)
    search_fields = (*NAMES, "registration_number")
    autocomplete_fields = ("main_contractor",)
    readonly_fields = ("uuid",)


class SiteAdminForm(forms.ModelForm):
    """Names the coordinate that is outside the service area, rather than always the latitude."""

    class Meta:
        model = Site
        fields = "__all__"  # noqa: DJ007  (the admin's fieldsets choose what is shown)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        area = settings.SERVICE_AREA
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if latitude is not None and not area.south <= float(latitude) <= area.north:
            self.add_error(
                "latitude",
                _("%(value)s lies outside the service area (%(south)s–%(north)s N).")
                % {"value": latitude, "south": area.south, "north": area.north},
            )
        if longitude is not None and not area.west <= float(longitude) <= area.east:
            self.add_error(
                "longitude",
                _("%(value)s lies outside the service area (%(west)s–%(east)s E).")
                % {"value": longitude, "west": area.west, "east": area.east},
            )
        # Site.clean() checks the point again when the model is validated.
        return cleaned


class OpeningHoursForm(forms.ModelForm):
    class Meta:
        model = OpeningHours
        fields = ("weekday", "opens", "closes")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("opens") is not None and cleaned.get("opens") == cleaned.get("closes"):
            # The same refusal as the site services: a period of no length is a typing mistake.
            raise forms.ValidationError(_("Opening and closing times are the same."))
        return cleaned


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    form = OpeningHoursForm
    extra = 0


@admin.register(Site)
class SiteAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = SiteAdminForm
    list_display = (
        "name_en",
        "name_zh_hant",
        "kind",
        "venue_type",
        "parish",
        "licence_status",
        "licence_expiry",
        "operator",
        "is_active",
    )
    list_filter = ("kind", "venue_type", "parish", "licence_status", "is_active")
    list_select_related = ("operator",)
    search_fields = (
        *NAMES,
        "address",
        "address_zh_hant",
        "licence_number",
        "contact_name",
        "operator__name_en",
        "contractor__name_en",
    )
    autocomplete_fields = ("operator", "contractor")
    readonly_fields = ("uuid", "risk_score", "risk_factors", "last_inspected_on")
    inlines = (OpeningHoursInline,)
    fieldsets = (
        (None, {"fields": ("kind", "venue_type", *NAMES, "is_active", "closed_on")}),
        (_("Location"), {"fields": ("address", "address_zh_hant", "parish", ("latitude", "longitude"))}),
        (
            _("Licence and operator"),
            {"fields": ("licence_number", "licence_status", "licence_expiry", "operator")},
        ),
        (_("On-site contact"), {"fields": (("contact_name", "contact_phone"),)}),
        (
            _("Construction sites"),
            {"fields": ("contractor", "declared_workforce", "expected_end"), "classes": ("collapse",)},
        ),
        # Filled by compliance and planning, so that targeting can be audited: not for hand edits.
        (
            _("Risk"),
            {"fields": ("risk_score", "risk_factors", "last_inspected_on"), "classes": ("collapse",)},
        ),
        (_("Identifier"), {"fields": ("uuid",), "classes": ("collapse",)}),
    )


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(AgencyScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    # A withdrawn declaration (the tie ended) is kept and shown as withdrawn, with when.
    list_display = ("officer", "site", "company", "reason", "declared_at", "withdrawn_at")
    list_filter = (
        ("officer__agency", admin.RelatedOnlyFieldListFilter),
        ("withdrawn_at", admin.EmptyFieldListFilter),
    )
    list_select_related = ("officer__agency", "site", "company")
    search_fields = (
        "officer__full_name",
        "officer__badge_number",
        "reason",
        "site__name_en",
        "company__name_en",
    )
    autocomplete_fields = ("officer", "site", "company")
    date_hierarchy = "declared_at"
    actions = ["withdraw_selected"]

    @admin.action(
        description=_("Withdraw the selected declarations (the tie has ended)"), permissions=["change"]
    )
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet[ConflictOfInterest]) -> None:
        """For an officer who cannot do it from their phone (a lost phone, a leaver): each
        declaration is withdrawn as the phone does it (``conflict_withdraw``, audited, kept), so
        the scheduler stops honouring it; one already withdrawn keeps its time."""
        withdrawn = 0
        with transaction.atomic():
            for conflict in queryset.filter(withdrawn_at__isnull=True).order_by("pk"):
                services.conflict_withdraw(actor=request.user, conflict=conflict, request=request)
                withdrawn += 1
        if withdrawn:
            self.message_user(
                request,
                ngettext(
                    "%(count)d declaration withdrawn: the scheduler no longer keeps the officer away.",
                    "%(count)d declarations withdrawn: the scheduler no longer keeps the officers away.",
                    withdrawn,
                )
                % {"count": withdrawn},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("The selected declarations were already withdrawn: nothing changed."),
                messages.INFO,
            )
