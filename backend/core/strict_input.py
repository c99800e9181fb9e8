"""A back-office write body refuses a field its serializer does not take.

DRF drops unknown members of a body silently, so a misspelt field (``"resons": "…"``,
``"before_deadlin": true``) was not written and the request succeeded as if it had been; a script
learnt nothing. A serializer with this mixin answers the 400 ``invalid`` problem naming each
unknown member ("Unknown field.", in the reader's language), beside any other field's error, and a
nested serializer with it names its own (``waves[0].code``). The token request refuses them the
same way (backend/accounts/apis.py).

The console's forms have their own edges: a list of rows chosen by number (``RowsField``), and a
date or time in a year no record has (``YearBound``). The APIs' times go through
``DateTimeField``, DRF's own but for a time beyond the calendar.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import connection, models
from django.utils.translation import gettext, gettext_lazy
from rest_framework import serializers

# Sent by a form of the browsable API beside the serializer's fields.
FORM_MEMBERS = frozenset({"csrfmiddlewaretoken"})


def ascii_digits(text: str) -> bool:
    """Whether ``text`` is a whole number written in ASCII digits, as ``int()`` reads it.
    ``str.isdigit()`` alone says yes to "²" and to other scripts' digits, which ``int()`` refuses
    (or reads as another number): a hostile walk found a server error behind each such check."""
    return text.isascii() and text.isdigit()


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


class RowsField(forms.ModelMultipleChoiceField):
    """Rows chosen by their number (checkboxes of agencies, officers) that refuses a number beyond
    the column's range as any other unknown choice.

    Django guards a single choice (an ``exact`` lookup out of range finds nothing) but not a list:
    ``pk__in=[10**30]`` raised OverflowError on SQLite and "out of range" on PostgreSQL, a server
    error for a hand-edited form where a planner should read which value is not a choice."""

    def _check_values(self, value: Any) -> Any:
        key = self.to_field_name or "pk"
        meta = self.queryset.model._meta
        column = meta.pk if key == "pk" else meta.get_field(key)
        if isinstance(column, models.IntegerField):
            low, high = connection.ops.integer_field_range(column.get_internal_type())
            for given in value if isinstance(value, (list, tuple)) else ():
                try:
                    number = int(str(given).strip())
                except ValueError:
                    continue  # Django's own check names it
                if (low is not None and number < low) or (high is not None and number > high):
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": given}
                    )
        return super()._check_values(value)


# The years a date the console is given may name. The calendar's first and last days have no day
# before or after them, which a period's end or a time zone's offset reaches: 0001-01-01 00:00 in
# Macau is a day before the calendar in UTC (an OverflowError comparing it), and a period is
# counted up to the day after its last. No inspection, operation or record is dated outside these.
FIRST_YEAR, LAST_YEAR = 1900, 2999
YEAR_OUT_OF_RANGE = gettext_lazy("Use a year from %(first)s to %(last)s.")


def year_refused(day: Any) -> str:
    """The message for a date or time outside FIRST_YEAR..LAST_YEAR, or ""."""
    if day is None or FIRST_YEAR <= day.year <= LAST_YEAR:
        return ""
    return str(YEAR_OUT_OF_RANGE) % {"first": FIRST_YEAR, "last": LAST_YEAR}


def years_refused(**days: Any) -> dict[str, list[str]]:
    """``{name: [message]}`` for each date or time given outside FIRST_YEAR..LAST_YEAR: a service's
    InvalidInput errors, for callers that are not a form (the API, a script)."""
    return {name: [message] for name, day in days.items() if (message := year_refused(day))}


class YearBound:
    """Mixin for a form's DateField or DateTimeField: a year outside FIRST_YEAR..LAST_YEAR is
    refused on the form, in the reader's language, before any service meets it."""

    def to_python(self, value: Any) -> Any:
        day = super().to_python(value)  # type: ignore[misc]
        message = year_refused(day)
        if message:
            raise forms.ValidationError(message, code="invalid")
        return day


class YearBoundDateTimeField(YearBound, forms.DateTimeField):
    pass


class YearBoundDateField(YearBound, forms.DateField):
    pass


class DateTimeField(serializers.DateTimeField):
    """DRF's ``DateTimeField`` for a write's times, answering a time beyond the calendar with its
    own "Datetime value out of range." (400 ``invalid`` on the field). DRF says so for a time sent
    with its offset, but a time without one (``0001-01-01T00:00:00``) is made Macau's and then
    checked to exist by a conversion to UTC, a day before year 1: its OverflowError escaped as a
    server error (the officers' submission and check-in, the planning API's times)."""

    def enforce_timezone(self, value: Any) -> Any:
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")
