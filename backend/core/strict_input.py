"""A back-office write body refuses a field its serializer does not take.

DRF drops unknown members of a body silently, so a misspelt field (``"resons": "…"``,
``"before_deadlin": true``) was not written and the request succeeded as if it had been; a script
learnt nothing. A serializer with this mixin answers the 400 ``invalid`` problem naming each
unknown member ("Unknown field.", in the reader's language), beside any other field's error, and a
nested serializer with it names its own (``waves[0].code``). The token request refuses them the
same way (backend/accounts/apis.py).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from rest_framework import serializers

# Sent by a form of the browsable API beside the serializer's fields.
FORM_MEMBERS = frozenset({"csrfmiddlewaretoken"})


class UnknownFieldsRefused:
    """Mixin for a ``serializers.Serializer`` that reads a request body."""

    def to_internal_value(self, data: Any) -> Any:
        unknown: list[str] = []
        if hasattr(data, "keys"):
            known = set(self.fields) | FORM_MEMBERS  # type: ignore[attr-defined]
            unknown = sorted(str(name) for name in data if name not in known)
        try:
            value = super().to_internal_value(data)  # type: ignore[misc]
        except serializers.ValidationError as error:
            if not unknown or not isinstance(error.detail, dict):
                raise
            detail = dict(error.detail)
            detail.update({name: [gettext("Unknown field.")] for name in unknown})
            raise serializers.ValidationError(detail) from None
        if unknown:
            raise serializers.ValidationError({name: [gettext("Unknown field.")] for name in unknown})
        return value
