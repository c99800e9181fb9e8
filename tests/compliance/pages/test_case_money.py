"""A penalty's amount is written as the reader's language writes money, thousands grouped: the
case page's outcome card and its timeline read "20000.00 MOP" (pt "20000,00 MOP"), where a reader
counts the zeros to tell twenty thousand from two hundred thousand."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from backend.compliance import services, timeline
from tests.compliance.pages.conftest import signed_in
from tests.compliance.pages.test_date_formats import visible_text

pytestmark = pytest.mark.django_db

# The outcome card's figure and the timeline's sentence, in each language.
CARD = {"en": "20,000.00 MOP", "zh-hant": "20,000.00 澳門元", "pt": "20.000,00 MOP"}
SENTENCE = {
    "en": "Outcome: a penalty of 20,000.00 MOP.",
    "zh-hant": "結果：罰款 20,000.00 澳門元。",
    "pt": "Resultado: multa de 20.000,00 MOP.",
}


@pytest.fixture
def fined(case, carol):
    services.case_notice_issue(user=carol.user, case=case)
    services.case_decide(
        user=carol.user,
        case=case,
        outcome="penalty",
        reason="Repeat.",
        penalty_amount="20000",
        before_deadline=True,
    )
    return case


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_the_case_page_groups_the_penaltys_thousands(language, fined, carol, client):
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(f"/compliance/cases/{fined.uuid}/").content.decode()
    kpis = visible_text(re.search(r'<ul class="kpis">(.*?)</ul>', page, re.S).group(1))
    assert CARD[language] in kpis, kpis
    events = visible_text(re.search(r'<ol class="timeline">(.*?)</ol>', page, re.S).group(1))
    assert SENTENCE[language] in events, events
    assert "20000" not in visible_text(page)


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_the_apis_timeline_groups_them_too(language, fined, carol, api):
    body = api.as_(carol).get(f"/api/v1/cases/{fined.uuid}/", HTTP_ACCEPT_LANGUAGE=language).json()
    messages = [e["message"] for e in body["timeline"]]
    assert any(m.startswith(SENTENCE[language]) for m in messages), messages


def test_money_has_two_decimals_and_groups_every_three_figures():
    for language, written in {"en": "1,234,567.50", "zh-hant": "1,234,567.50", "pt": "1.234.567,50"}.items():
        with translation.override(language):
            assert timeline.money("1234567.5") == written
            assert timeline.money("800") == written.replace("1,234,567.50", "800.00").replace(
                "1.234.567,50", "800,00"
            )
