"""A case's deadline card counts the days the company has left while its corrective deadline runs,
whether or not a follow-up was requested early: the demo's follow-up-requested case said "Rectify
by 19 Dec 2026" and nothing more, as if the deadline no longer counted, in every language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from backend.compliance import services
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

LEFT = {"en": "{n} days left", "zh-hant": "尚餘 {n} 日", "pt": "faltam {n} dias"}
TODAY = {"en": "due today", "zh-hant": "今日到期", "pt": "termina hoje"}


def _deadline_card(client, case, language: str) -> str:
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(f"/compliance/cases/{case.uuid}/").content.decode()
    card = re.search(r'<ul class="kpis">.*?</li>\s*<li>(.*?)</li>', page, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card))


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_an_early_follow_up_keeps_the_days_left(language, case, carol, client):
    case = services.case_notice_issue(user=carol.user, case=case)
    services.case_follow_up_order(user=carol.user, case=case)
    case.refresh_from_db()
    assert case.status == "follow_up"
    left = (case.deadline - timezone.localdate()).days
    assert left > 1
    signed_in(client, carol)
    assert LEFT[language].format(n=left) in _deadline_card(client, case, language)


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_on_the_deadline_day_the_card_says_due_today(language, case, carol, client):
    """The company has the whole of its deadline day ("rectify by" the date): the card said
    "0 days left" that morning, as if the time were already up."""
    case = services.case_notice_issue(user=carol.user, case=case)
    morning = dt.datetime.combine(case.deadline, dt.time(9), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(morning, tick=False):
        signed_in(client, carol)
        card = _deadline_card(client, case, language)
    assert TODAY[language] in card and LEFT[language].format(n=0) not in card, card
    assert "overdue" not in card


def test_a_deadline_that_passed_counts_no_days(case, carol, client):
    case = services.case_notice_issue(user=carol.user, case=case)
    after = dt.datetime.combine(case.deadline + dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC)
    with time_machine.travel(after, tick=False):
        services.case_deadlines_process()
        case.refresh_from_db()
        assert case.status == "follow_up"
        signed_in(client, carol)
        card = _deadline_card(client, case, "en")
    assert "left" not in card and "overdue" not in card, card


def test_days_left_is_a_rule_of_the_case(case, carol):
    case = services.case_notice_issue(user=carol.user, case=case)
    today = timezone.localdate()
    assert case.days_left(today) == (case.deadline - today).days
    assert case.days_left(case.deadline) == 0
    assert case.days_left(case.deadline + dt.timedelta(days=1)) is None
    services.case_decide(user=carol.user, case=case, outcome="rectified", reason="Permits shown.")
    case.refresh_from_db()
    assert case.days_left(today) is None
