"""English dates are written day first, as in Macao (4 Dec 2026), never month first, and a date
typed day first (04/12/2026) is read so; Chinese and Portuguese keep their own. The console writes
one date format per language: the "short" one is the same (tests/compliance/pages/test_date_formats.py)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import formats, translation


def test_english_dates_put_the_day_first_and_are_read_so():
    moment = dt.datetime(2026, 12, 4, 19, 30)
    with translation.override("en"):
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "4 Dec 2026"
        assert formats.date_format(moment, "DATE_FORMAT") == "4 Dec 2026"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "4 Dec 2026, 7:30 p.m."
        assert forms.DateField().clean("04/12/2026") == dt.date(2026, 12, 4)
        assert forms.DateField().clean("2026-12-04") == dt.date(2026, 12, 4)
    with translation.override("pt"):
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "4 de Dezembro de 2026"
        assert forms.DateField().clean("04/12/2026") == dt.date(2026, 12, 4)
