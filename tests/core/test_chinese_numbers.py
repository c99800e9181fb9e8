"""Numbers in Traditional Chinese are grouped by thousands with commas, as Macao writes them
(12,345), like English (12,345) and Portuguese (12.345); Django's own zh_Hant has no separator
(12345). Chinese dates stay Django's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import formats, translation

from backend.reporting.templatetags.reporting_console import figure


@pytest.mark.parametrize(
    ("language", "grouped", "decimal"),
    [("zh-hant", "12,345", "1,234,567.5"), ("en", "12,345", "1,234,567.5"), ("pt", "12.345", "1.234.567,5")],
)
def test_thousands_are_grouped_in_each_language(language, grouped, decimal):
    with translation.override(language):
        assert formats.number_format(12345, use_l10n=True, force_grouping=True) == grouped
        assert formats.number_format(1234567.5, 1, use_l10n=True, force_grouping=True) == decimal
        assert figure(12345) == grouped  # the analysts' pages' figures
        assert figure(999) == "999"


def test_chinese_dates_are_still_djangos():
    with translation.override("zh-hant"):
        assert formats.date_format(dt.date(2026, 12, 4), "DATE_FORMAT") == "2026年12月4日"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


def test_the_reports_counts_are_grouped_in_chinese():
    from backend.reporting.render import _count

    with translation.override("zh-hant"):
        assert _count(7640) == "7,640"
