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
