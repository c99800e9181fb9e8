"""Logins in the admin: Django's user pages, but an officer's login shows its admin rights as what
they are, a consequence of the officer's administrator role, rather than as boxes to tick.

An officer's login is staff and superuser exactly while the officer is active and holds the
administrator role (``registry.services.officer_admin_rights_sync``); a flag ticked here by hand
counted for nothing and was put back at the officer's next save. So on such a login the two boxes
are not in the form at all: a read-only line says whether it holds the rights and links to the
officer, whose roles decide. A login with no officer record (``createsuperuser``'s, to bootstrap
a system) is judged by its flags alone and keeps its boxes.

The same holds for "Active": an officer's login is as active as the officer, whose page
deactivates a leaver completely (``officer_deactivate``: every phone's and script's token revoked,
console sessions ended, audited). The box, which did none of that, is not on an officer's login;
a read-only line says where to go. A login without an officer keeps its box, and unticking it
ends every sign-in the login holds, as the officer's deactivation does. Every save of a login
through the admin is audited, passwords left out. Its dates (joined, last signed in) are shown,
never edited.

An agency's administrator sees the logins of their own agency's officers, and those they created
here that no officer holds yet (``backend.core.admin_access.agency_records``): never the bootstrap
superuser's, nor another agency's. On such a new login the staff and superuser boxes, groups and
permissions are shown, never edited, by them: ticked, the login would be a superuser of no agency,
every agency's records open to it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from backend.accounts.services import login_sign_out_everywhere
from backend.audit.admin_mixins import AuditedAdminMixin
from backend.core.admin_access import AgencyScopedAdminMixin, admin_agency_id

User = get_user_model()

ROLE_DECIDES = ("is_staff", "is_superuser")
RIGHTS = (*ROLE_DECIDES, "groups", "user_permissions")
OFFICER_DECIDES = ("is_active",)
# What happened to the login, not settings of it: shown, never edited. In the form they were
# whole seconds, so saving a login unchanged wrote date_joined back without its microseconds and
# audited it as changed.
FACTS = ("last_login", "date_joined")
REASON_LOGIN_DEACTIVATED = "login deactivated"

if admin.site.is_registered(User):
    admin.site.unregister(User)


def _officer(user: Any) -> Any:
    return getattr(user, "officer", None) if hasattr(user, "officer") else None


def _decided_by_officer(officer: Any, css_class: str, state: Any, why: Any) -> str:
    """A read-only line on an officer's login: how it stands, why, and the officer's page, where
    it is decided."""
    return format_html(
        '<span class="{}">{}</span><br>{} <a href="{}">{}</a>',
        css_class,
        state,
        why,
        reverse("admin:registry_officer_change", args=[officer.pk]),
        officer,
    )


class LoginCreationForm(AdminUserCreationForm):
    """A new login: its name, the e-mail address "Forgot your password?" writes to, and a first
    password. Django's "Password-based authentication: Enabled / Disabled" choice is left out: a
    login without a password (for single sign-on, which this system has not) could not sign in
    nor reset it."""

    usable_password = None

    class Meta(AdminUserCreationForm.Meta):
        fields = ("username", "email")


class LoginPasswordForm(AdminPasswordChangeForm):
    """A login's new password, without Django's choice to disable password sign-in (see
    ``LoginCreationForm``)."""

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields.pop("usable_password", None)
        self.fields["password1"].required = self.fields["password2"].required = True


@admin.register(User)
class LoginAdmin(AgencyScopedAdminMixin, AuditedAdminMixin, DjangoUserAdmin):
    # Never in an audit entry: what the add and password forms hold is a password.
    audit_exclude = ("password", "password1", "password2", "usable_password")
    add_form = LoginCreationForm
    change_password_form = LoginPasswordForm
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),
    )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or _officer(obj) is None:
            return fieldsets
        out = []
        for name, options in fieldsets:
            # The officer's roles decide what the login may do: Django's groups and permissions,
            # which grant nothing here, are not offered on it.
            fields = [f for f in options.get("fields", ()) if f not in ("groups", "user_permissions")]
            for decided, line in ((OFFICER_DECIDES, "active_state"), (ROLE_DECIDES, "admin_rights")):
                if any(f in fields for f in decided):
                    at = min(fields.index(f) for f in decided if f in fields)
                    fields = [f for f in fields if f not in decided]
                    fields.insert(at, line)
            out.append((name, {**options, "fields": tuple(fields)}))
        return out

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = super().get_readonly_fields(request, obj)
        if obj is None:
            return readonly
        if _officer(obj) is not None:
            return (*readonly, *FACTS, "active_state", "admin_rights")
        if admin_agency_id(request.user) is not None:
            return (*readonly, *FACTS, *RIGHTS)
        return (*readonly, *FACTS)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Refused from now on anyway (an inactive login signs nothing in); revoked too, so
            # that ticking the box again brings back no phone, script or browser of before.
            login_sign_out_everywhere(
                actor=request.user, user=obj, reason=REASON_LOGIN_DEACTIVATED, request=request
            )

    @admin.display(description=_("active"))
    def active_state(self, obj: Any) -> str:
        officer = _officer(obj)
        if officer is None:
            return "—"
        active = obj.is_active and officer.is_active
        return _decided_by_officer(
            officer,
            "active-state",
            _("Active.") if active else _("Not active: this login signs nothing in."),
            _(
                "It follows the officer: deactivating a leaver on the officer's page ends every "
                "sign-in they hold (phones, scripts, console) and is audited. The officer's page:"
            ),
        )

    @admin.display(description=_("admin rights"))
    def admin_rights(self, obj: Any) -> str:
        officer = _officer(obj)
        if officer is None:
            return "—"
        held = obj.is_staff and obj.is_superuser
        return _decided_by_officer(
            officer,
            "admin-rights",
            _("Staff and superuser.") if held else _("No admin rights."),
            _(
                "They follow the officer's administrator role: an active officer holding it has "
                "them, and no one else. Give or take the role on the officer's page:"
            ),
        )
