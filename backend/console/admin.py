"""Second factors in the admin: an administrator resets a login's second factor here, and sees
nothing that would let them pass for it.

django-otp's own admin shows every authenticator's secret key and QR code, and lets one be added
or edited with a key of one's choosing: whoever opened it could sign in as a reviewer or a
victim-protection officer with their password alone. Here an authenticator is only listed and
removed (a reset: the login's sessions end and it sets up a new one at its next sign-in), and every
reset is audited. An agency's administrator sees and resets their own agency's officers' alone.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record
from backend.console.services import sessions_end
from backend.core.admin_access import AgencyScopedAdminMixin
from backend.registry.models import Officer

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


class SecondFactorForm(forms.ModelForm):
    """Only the help texts of the fields shown (read-only): django-otp's own are English only.
    Their labels are set where the app starts (backend.console.apps)."""

    class Meta:
        model = TOTPDevice
        fields = ()
        help_texts = {
            "user": _("The login this authenticator signs in."),
            "name": _("The name given to the authenticator when it was set up."),
            "confirmed": _(
                "Whether its set-up was finished with a first code; an unconfirmed authenticator is "
                "never asked for at sign-in."
            ),
            "created_at": _("When its set-up began."),
            "last_used_at": _("The last time a code from it was accepted."),
        }


@admin.register(TOTPDevice)
class SecondFactorAdmin(AgencyScopedAdminMixin, admin.ModelAdmin):
    form = SecondFactorForm
    list_display = ("user", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields
    actions = ["reset_second_factor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Removing one is the reset, through the action below, which audits it.
        return False

    def has_reset_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("otp_totp.delete_totpdevice")

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(
        description=_("Reset the second factor (a new authenticator is set up at the next sign-in)"),
        permissions=["reset"],
    )
    def reset_second_factor(
        self, request: HttpRequest, queryset: QuerySet[TOTPDevice]
    ) -> TemplateResponse | None:
        """After a page that names the logins and what a reset does (it ends their sessions, the
        administrator's own included when theirs is among them): it ran on the first click."""
        devices = list(queryset.select_related("user").order_by("user__username"))
        if request.POST.get("post") != "yes":
            officers = {o.user_id: o for o in Officer.objects.filter(user__in=[d.user_id for d in devices])}
            for device in devices:
                device.officer = officers.get(device.user_id)  # named as the admin's lists name them
            request.current_app = self.admin_site.name
            return TemplateResponse(
                request,
                "admin/otp_totp/totpdevice/reset_second_factor_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Reset second factors"),
                    "subtitle": None,
                    "opts": self.opts,
                    "devices": devices,
                    "yours": any(d.user_id == request.user.pk for d in devices),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "media": self.media,
                },
            )
        with transaction.atomic():
            for device in devices:
                audit_record(
                    actor=request.user,
                    action=AuditEntry.Action.DELETE,
                    verb="second_factor_reset",
                    obj=device.user,
                    changes={"device": device.name, "confirmed": device.confirmed},
                    request=request,
                )
                device.delete()
                # Whoever holds a session signed in with the old authenticator is out: the reset
                # is for a lost or stolen phone, and the next sign-in enrols the new one.
                sessions_end(
                    actor=request.user, user=device.user, reason="second factor reset", request=request
                )
        self.message_user(
            request,
            ngettext(
                "%(count)d second factor reset: that login sets up a new authenticator at its next sign-in.",
                "%(count)d second factors reset: those logins set up a new authenticator at their next "
                "sign-in.",
                len(devices),
            )
            % {"count": len(devices)},
            messages.SUCCESS,
        )
        return None
