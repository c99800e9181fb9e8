"""The one gate every console page passes: signed in, second factor where required, role.

A page a role does not open answers 404, as a forbidden object does, so nobody learns what
exists outside their work.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode

from backend.console.services import may_use_console, second_factor_required
from backend.core.access import principal_for


def console_verified(request: HttpRequest) -> bool:
    """Signed in, allowed in the console, and past the second factor when it is required."""
    user = request.user
    if not user.is_authenticated or not may_use_console(user):
        return False
    # django-otp marks the session's user only: a request signed in by an API token (the
    # browsable API's page drawn for a script) has given no second factor in the console.
    verified = getattr(user, "is_verified", None)
    return not second_factor_required(user) or (verified is not None and verified())


def console_page(*roles: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a page view: only officers with one of ``roles`` (any back-office role if none)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may_use_console(user):
                raise Http404
            if second_factor_required(user) and not user.is_verified():
                query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
                return redirect(f"{_second_factor_url()}?{query}")
            if roles and not principal_for(user).has_role(*roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _second_factor_url() -> str:
    from django.urls import reverse

    return reverse("console:second-factor")
