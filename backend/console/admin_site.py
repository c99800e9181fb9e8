"""The Django admin behind the console's sign-in: one sign-in page, second factor included."""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from backend.console.services import second_factor_required
from backend.core.access import login_admin_refused


def admin_site_guard(site: AdminSite) -> None:
    """Send the admin's sign-in to the console's, and let nobody in who still owes the second
    factor (administrators must give it when CONSOLE_2FA_REQUIRED is on), nor an officer's login
    that is not an active administrator's (a leaver, or a role taken away)."""
    has_permission = site.has_permission

    def guarded(request: HttpRequest) -> bool:
        user = request.user
        if not has_permission(request) or login_admin_refused(user):
            # A leaver, or an officer whose administrator role was taken away, is out even with
            # a staff login.
            return False
        return not second_factor_required(user) or user.is_verified()

    def login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return redirect_to_login(
            request.GET.get("next") or reverse("admin:index"), reverse("console:sign-in")
        )

    site.has_permission = guarded  # type: ignore[method-assign]
    site.login = login  # type: ignore[method-assign]
