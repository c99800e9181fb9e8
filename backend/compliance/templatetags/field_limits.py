"""What a number field's limits refuse, in the page's language: the messages the server answers
(Django's own), for forms.js to give the browser instead of its own, which came in the browser's
language ("Value must be greater than or equal to 1." on a page read in Portuguese)."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.formats import number_format

register = template.Library()


def _message(field: Any, kind: type) -> str:
    for validator in getattr(field.field, "validators", ()):
        if type(validator) is kind:
            return str(validator.message) % {"limit_value": number_format(validator.limit_value)}
    return ""


@register.filter
def below_minimum(field: Any) -> str:
    """The refusal of a value below the field's minimum ('' when it has none)."""
    return _message(field, MinValueValidator)


@register.filter
def above_maximum(field: Any) -> str:
    """The refusal of a value above the field's maximum ('' when it has none)."""
    return _message(field, MaxValueValidator)
