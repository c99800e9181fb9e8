"""What every page of the app shares: objects outside scope as 404 pages, domain refusals as
form errors, and the htmx partial or the whole page."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from backend.core.errors import DomainError, NotFound

T = TypeVar("T")


def found(read: Callable[..., T], **kwargs: Any) -> T:
    """The object a selector returns, or the 404 page (outside scope is as if it did not exist)."""
    try:
        return read(**kwargs)
    except NotFound:
        raise Http404 from None


def refusal(exc: DomainError) -> list[str]:
    """A service's refusal as messages for the page: its detail and each field's errors."""
    messages = [str(exc.detail)] if exc.detail and not exc.errors else []
    for errors in exc.errors.values():
        messages.extend(str(e) for e in (errors if isinstance(errors, list) else [errors]))
    return messages or [str(exc.title)]


def refusal_on_fields(form: Any, exc: DomainError) -> list[str]:
    """A service's refusal told where the user acts on it: each error about a field the form
    shows goes on that field (beside it, the field marked invalid and focused after the swap, as a
    form's own errors are), so "A penalty needs a positive amount" is not read in a box at the top
    of the page above a field further down; whatever concerns no field of the form is returned as
    messages for the page."""
    if not exc.errors:
        return refusal(exc)
    rest: list[str] = []
    for name, errors in exc.errors.items():
        texts = [str(e) for e in (errors if isinstance(errors, list) else [errors])]
        if name in form.fields:
            for text in texts:
                form.add_error(name, text)
        else:
            rest.extend(texts)
    return rest


def page_or_partial(
    request: HttpRequest,
    page: str,
    partial: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """The whole page, or only the part an htmx request swaps."""
    template = partial if getattr(request, "htmx", False) else page
    return render(request, template, context, status=status)


# The pages a company's page may lead back to, each with the words of its link. Only these: a
# ``from`` naming anything else (another host, "//evil", a script, a page outside this list)
# is ignored and the way back is the register.
_WAYS_BACK = ("compliance_console:case",)


def way_back(request: HttpRequest, *, default: str) -> tuple[str, ResolverMatch] | None:
    """Where a page's "back" link goes when the link that opened it said where the reader came
    from (``?from=/compliance/cases/<id>/``): that path and the url's match, if it is one of this
    console's pages a reader comes from (``_WAYS_BACK``) and not the page's ``default`` url name;
    else None (the default). Never a redirect: the path is only written into a link, and only a
    local one (the page it names checks its reader as ever)."""
    value = request.GET.get("from", "")
    if not value or len(value) > 500 or not value.startswith("/") or value.startswith("//"):
        return None
    if "\\" in value or any(ord(c) < 32 for c in value):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.fragment:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name not in _WAYS_BACK or match.view_name == default:
        return None  # the default link says it already
    try:  # the object it names by its UUID, as the links write it
        [uuid.UUID(value) for name, value in match.kwargs.items() if name.endswith("_id")]
    except ValueError:
        return None
    return value, match
