"""A site's opening hours read as the reader writes them: days in a row as a range, the rest
listed with the language's own separator. The targets list read "星期二, 星期三, 星期四, 星期五,
星期六, 星期日 22:00–05:00" (ASCII commas in Chinese, six days one by one; found on a newcomer's
walk of the planner's pages in Chinese)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from scheduler.pages.targets import hours_text

LATE = (dt.time(22), dt.time(5))


def _hours(days, language):
    with translation.override(language):
        return hours_text([(d, *LATE) for d in days])


@pytest.mark.parametrize(
    ("days", "language", "text"),
    [
        (range(1, 7), "en", "Tue–Sun 22:00–05:00"),
        (range(1, 7), "zh-hant", "星期二至星期日 22:00–05:00"),
        (range(1, 7), "pt", "Ter–Dom 22:00–05:00"),
        ((0, 2, 4), "en", "Mon, Wed, Fri 22:00–05:00"),
        ((0, 2, 4), "zh-hant", "星期一、星期三、星期五 22:00–05:00"),
        ((4, 5, 6, 0), "en", "Fri–Mon 22:00–05:00"),
        ((0, 1, 3, 4, 5), "en", "Mon, Tue, Thu–Sat 22:00–05:00"),
        (range(7), "en", "daily 22:00–05:00"),
    ],
)
def test_days_in_a_row_are_a_range_and_the_rest_a_list_in_the_readers_way(days, language, text):
    assert _hours(days, language) == text
