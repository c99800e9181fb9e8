"""What every page of the app shares: objects outside scope as 404 pages, domain refusals as
form errors, and the htmx partial or the whole page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

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
