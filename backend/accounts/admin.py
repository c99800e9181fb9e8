"""Logins in the admin: Django's user pages, but an officer's login shows its admin rights as what
they are, a consequence of the officer's administrator role, rather than as boxes to tick.

An officer's login is staff and superuser exactly while the officer is active and holds the
administrator role (``registry.services.officer_admin_rights_sync``); a flag ticked here by hand
counted for nothing and was put back at the officer's next save. So on such a login the two boxes
are not in the form at all: a read-only line says whether it holds the rights and links to the
officer, whose roles decide. A login with no officer record (``createsuperuser``'s, to bootstrap
a system) is judged by its flags alone and keeps its boxes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

User = get_user_model()

ROLE_DECIDES = ("is_staff", "is_superuser")

if admin.site.is_registered(User):
    admin.site.unregister(User)


def _officer(user: Any) -> Any:
    return getattr(user, "officer", None) if hasattr(user, "officer") else None


@admin.register(User)
class LoginAdmin(DjangoUserAdmin):
    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or _officer(obj) is None:
            return fieldsets
        out = []
        for name, options in fieldsets:
            fields = list(options.get("fields", ()))
            if any(f in fields for f in ROLE_DECIDES):
                at = min(fields.index(f) for f in ROLE_DECIDES if f in fields)
                fields = [f for f in fields if f not in ROLE_DECIDES]
                fields.insert(at, "admin_rights")
            out.append((name, {**options, "fields": tuple(fields)}))
        return out

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and _officer(obj) is not None:
            return (*readonly, "admin_rights")
        return readonly

    @admin.display(description=_("admin rights"))
    def admin_rights(self, obj: Any) -> str:
        officer = _officer(obj)
        if officer is None:
            return "—"
        held = obj.is_staff and obj.is_superuser
        return format_html(
            '<span class="admin-rights">{}</span><br>{} <a href="{}">{}</a>',
            _("Staff and superuser.") if held else _("No admin rights."),
            _(
                "They follow the officer's administrator role: an active officer holding it has "
                "them, and no one else. Give or take the role on the officer's page:"
            ),
            reverse("admin:registry_officer_change", args=[officer.pk]),
            officer,
        )
