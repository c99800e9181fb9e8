"""Analysts see how fresh the figures read from the rollups are ("Figures as of 21:04:10"), in
their language; figures read from the records (live) carry no such note."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from backend.reporting.models import RollupClock
from backend.reporting.services import rollup_refresh_queued
from tests.reporting.pages.figures import page_html

pytestmark = pytest.mark.django_db

DASHBOARD = "/statistics/?from=2019&to=2023"
BREAKDOWN = "/statistics/breakdown/?measure=inspections&rows=year"


def _note(page: str) -> str:
    found = re.search(r'<span class="help as-of"[^>]*>([^<]*)</span>', page)
    assert found, "no note on how fresh the figures are"
    return found.group(1)


@pytest.mark.parametrize("url", [DASHBOARD, BREAKDOWN])
def test_before_the_first_refresh_the_page_says_figures_may_be_incomplete(analyst, url):
    assert "not been refreshed yet" in _note(page_html(analyst, url))


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Figures as of {}"), ("zh-hant", "數字截至 {}"), ("pt", "Números às {}")],
)
@pytest.mark.parametrize("url", [DASHBOARD, BREAKDOWN])
def test_after_a_refresh_the_page_says_as_of_when(analyst, url, language, words):
    done = rollup_refresh_queued()
    page = page_html(analyst, url, language)
    shown = timezone.localtime(done.as_of).strftime("%H:%M:%S")
    assert words.format(shown) in _note(page)
    assert f'data-as-of="{timezone.localtime(done.as_of).isoformat(timespec="seconds")}"' in page


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Figures as of {day} {month} {year}, {time}:"),
        ("zh-hant", "數字截至 {year}年{month}月{day}日 {time}："),
        ("pt", "Números de {day} de {month} de {year}, às {time}:"),
    ],
)
def test_an_older_refresh_shows_its_date_as_the_console_writes_dates(analyst, language, words):
    """It showed "2026-12-03 21:04:10", the ISO form, among the console's own dates."""
    from django.utils import formats, translation

    as_of = timezone.now() - dt.timedelta(days=2)
    RollupClock.objects.create(key="queue", as_of=as_of)
    note = _note(page_html(analyst, DASHBOARD, language))
    local = timezone.localtime(as_of)
    with translation.override(language):
        month = formats.date_format(local, {"en": "M", "zh-hant": "n", "pt": "F"}[language])
    expected = words.format(day=local.day, month=month, year=local.year, time=local.strftime("%H:%M:%S"))
    assert expected in note, note
    assert local.strftime("%Y-%m-%d") not in note


def test_figures_read_from_the_records_carry_no_note(analyst):
    rollup_refresh_queued()
    page = page_html(analyst, f"{BREAKDOWN}&source=raw")
    assert "the records" in page and 'class="help as-of"' not in page
