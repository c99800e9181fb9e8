"""The analysts' sentences end as their language ends them: in Traditional Chinese with "。" (and
a label with "："), never with an English full stop the template added after the translation
("計算來源: 每日彙總."); English and Portuguese keep theirs."""

from __future__ import annotations

import re

import pytest

from tests.reporting.pages.figures import page_html

pytestmark = pytest.mark.django_db

DASHBOARD = "/statistics/?from=2019&to=2023&agency=DSAL"
BREAKDOWN = "/statistics/breakdown/?measure=inspections&rows=year"
# A Chinese character followed by an ASCII stop or colon: punctuation from an English sentence.
ENGLISH_STOP = re.compile(r"[\u4e00-\u9fff][.:]")


def _computed_from(page: str) -> str:
    found = re.search(r'<(?:span|p) class="help computed-from">([^<]*)<', page)
    assert found, "no line saying what the figures were computed from"
    return found.group(1)


@pytest.mark.parametrize(
    ("url", "language", "line"),
    [
        (DASHBOARD, "zh-hant", "計算來源：每日彙總。"),
        (BREAKDOWN, "zh-hant", "計算來源：每日彙總。"),
        (f"{BREAKDOWN}&source=raw", "zh-hant", "計算來源：原始記錄。"),
        (DASHBOARD, "en", "Computed from the daily rollups."),
        (f"{BREAKDOWN}&source=raw", "en", "Computed from the records."),
        (DASHBOARD, "pt", "Calculado a partir dos agregados diários."),
        (f"{BREAKDOWN}&source=raw", "pt", "Calculado a partir dos registos."),
    ],
)
def test_the_computed_from_line_is_one_sentence_of_the_language(analyst, url, language, line):
    assert _computed_from(page_html(analyst, url, language)) == line


def test_the_dashboards_period_line_has_no_english_stops_in_chinese(analyst):
    page = page_html(analyst, DASHBOARD, "zh-hant")
    period = re.search(r'<p class="period"[^>]*>(.*?)</p>', page, re.S).group(1)
    text = re.sub(r"<[^>]+>", "", period)
    assert "部門：DSAL。" in text, text
    assert not ENGLISH_STOP.findall(text), text


@pytest.mark.parametrize(
    ("language", "summary"), [("zh-hant", "部門（1）"), ("en", "Agency (1)"), ("pt", "Serviço (1)")]
)
def test_a_filters_count_is_bracketed_as_its_language_brackets(analyst, language, summary):
    """A filter's name and how many of its values are chosen: "部門 (1)" with a half-width bracket
    in Chinese, from brackets typed in the template around the translated name."""
    page = page_html(analyst, f"{BREAKDOWN}&agency=DSAL", language)
    summaries = [
        re.sub(r"<[^>]+>", "", s).strip() for s in re.findall(r"<summary>(.*?)</summary>", page, re.S)
    ]
    assert summary in summaries, summaries


@pytest.mark.parametrize(
    ("language", "joined", "gap"),
    [
        ("zh-hant", "部門：DSAL。計算來源：每日彙總。", "。 "),
        ("en", "Agency: DSAL. Computed from the daily rollups. ", ".  "),
    ],
)
def test_the_dashboards_period_line_joins_its_sentences_as_its_language_does(analyst, language, joined, gap):
    """The period, what the figures were computed from and as of when: sentences on one line,
    which the template's own line breaks joined with a space each, in Chinese too
    ("…DSAL。 計算來源：每日彙總。 數字截至…"); English keeps one space between them."""
    page = page_html(analyst, DASHBOARD, language)
    period = re.search(r'<p class="period"[^>]*>(.*?)</p>', page, re.S).group(1)
    text = re.sub(r"<[^>]+>", "", period).strip()
    assert joined in text, text
    assert gap not in text and "\n" not in text, text
