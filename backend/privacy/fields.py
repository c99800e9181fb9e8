"""Model fields whose values are stored encrypted (see ``backend.privacy.crypto``).

The column holds a Fernet token (text); Python code reads and writes plain values, so services,
forms and serializers need no change. An empty value is stored empty (nothing to protect).
Encrypted columns cannot be filtered, ordered or indexed by their plain value: a lookup that
needs equality uses a blind index beside the field (``crypto.blind_index``)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core import validators
from django.db import models

from backend.privacy import crypto


class EncryptedTextField(models.TextField):
    """Text encrypted at rest. ``max_length`` limits the plain text (forms, ``full_clean``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return self.from_plain(crypto.decrypt(value) if crypto.is_token(value) else crypto.Unreadable(value))

    def from_plain(self, text: str) -> Any:
        return text

    def to_plain(self, value: Any) -> str:
        return str(value)

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, crypto.Unreadable):
            return value.token
        value = super().get_prep_value(value) if not isinstance(value, (dt.date, dict, list)) else value
        if value is None or value == "":
            return value
        return crypto.encrypt(self.to_plain(value))


class EncryptedDateField(EncryptedTextField):
    """A date encrypted at rest (ISO text inside the token)."""

    def from_plain(self, text: str) -> Any:
        if isinstance(text, crypto.Unreadable):
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None

    def to_python(self, value: Any) -> Any:
        if value in (None, "") or isinstance(value, dt.date):
            return value or None
        return models.DateField().to_python(value)

    def to_plain(self, value: Any) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return super(models.TextField, self).formfield(**{"form_class": forms.DateField, **kwargs})


class EncryptedJSONField(EncryptedTextField):
    """A JSON document encrypted at rest (an empty document is stored empty)."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return {} if value in (None, "") else super().from_db_value(value, expression, connection)

    def from_plain(self, text: str) -> Any:
        if isinstance(text, crypto.Unreadable):
            return {}
        return json.loads(text)

    def to_python(self, value: Any) -> Any:
        return value

    def to_plain(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, crypto.Unreadable):
            return value.token
        if value in (None, {}, []):
            return "" if value is not None else None
        return crypto.encrypt(self.to_plain(value))
