"""One date format and one date-time format per language in the console: the readable one
(19 Dec 2026; 19 de Dezembro de 2026; 2026年12月19日), never beside a numeric one (05/12/2026,
2026/12/05) in the same table or page. The cases list read "Rectify by 19 Dec 2026" beside
"Opened 05/12/2026"; a submission's header "5 Dec 2026, 5:24 a.m." above tables saying
"05/12/2026 5:24 a.m."."""

from __future__ import annotations

import html
import re

import pytest
from django.utils import formats, timezone, translation

from backend.compliance import services
from backend.compliance.models import Referral
from tests.compliance.pages.conftest import signed_in
from tests.compliance.pages.test_review_pages import clean_submission

pytestmark = pytest.mark.django_db

# A date written in figures, in any order: 05/12/2026, 5/12/26, 2026/12/05, 2026-12-05, 05.12.2026.
NUMERIC_DATE = re.compile(r"\b(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}[/.-]\d{1,2}[/.-]\d{1,2})\b")
LANGUAGES = ["en", "pt", "zh-hant"]
# The readable formats, as a reader of each language expects them.
DATES = {"en": "19 Dec 2026", "pt": "19 de Dezembro de 2026", "zh-hant": "2026年12月19日"}


def visible_text(page: str) -> str:
    """What a reader sees: no scripts (json_script data), styles, tags or attributes."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_formats_are_one_per_language():
    import datetime as dt

    moment = dt.datetime(2026, 12, 19, 5, 24)
    for language, date in DATES.items():
        with translation.override(language):
            assert formats.date_format(moment, "DATE_FORMAT") == date
            assert formats.date_format(moment, "SHORT_DATE_FORMAT") == date
            assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == formats.date_format(
                moment, "DATETIME_FORMAT"
            )
            assert formats.date_format(moment, "DATETIME_FORMAT").startswith(date)


@pytest.fixture
def dated(case, carol, visit, bob):
    """A case with its notice issued (so a deadline), the submission it came from, and another of
    Bob's submissions awaiting review (in the queue)."""
    case = services.case_notice_issue(user=carol.user, case=case)
    case.waiting = clean_submission(visit.joint, bob)
    return case


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reviewers_pages_write_dates_one_way(dated, visit, carol, client, language):
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    submission = visit.submission
    waiting = dated.waiting
    with translation.override(language):
        opened = formats.date_format(timezone.localtime(dated.opened_at), "DATE_FORMAT")
        deadline = formats.date_format(dated.deadline, "DATE_FORMAT")
        received = formats.date_format(timezone.localtime(submission.received_at), "DATETIME_FORMAT")
        waiting_received = formats.date_format(timezone.localtime(waiting.received_at), "DATETIME_FORMAT")
        # The company page lists its sites' inspections by their day: the visit's, which is the
        # case's opening day except in the first hours after midnight (the case opened today, the
        # visit planned last night), when the test had read the wrong one and failed.
        visited = formats.date_format(timezone.localtime(submission.inspection.planned_start), "DATE_FORMAT")
    pages = {
        "/compliance/cases/": [opened, deadline],
        f"/compliance/cases/{dated.uuid}/": [deadline],
        "/review/": [waiting_received],
        f"/review/{submission.uuid}/": [received],
        f"/compliance/companies/{dated.company.uuid}/": [visited],
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        assert not NUMERIC_DATE.findall(text), (url, NUMERIC_DATE.findall(text))
        for value in expected:
            assert value in text, (url, value)
    # The submission's header and its tables say its time the same way.
    text = visible_text(client.get(f"/review/{submission.uuid}/").content.decode())
    assert text.count(received) >= 2, text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_protection_pages_write_dates_one_way(referral, vera, client, language):
    signed_in(client, vera)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    referral = Referral.objects.get()
    with translation.override(language):
        screened = formats.date_format(timezone.localtime(referral.screened_at), "DATETIME_FORMAT")
    for url in ("/protection/", f"/protection/{referral.uuid}/"):
        text = visible_text(client.get(url).content.decode())
        assert not NUMERIC_DATE.findall(text), (url, NUMERIC_DATE.findall(text))
        assert screened in text, (url, screened)
