"""A closed compliance case is 已結案 in Chinese, its status word and its sentences alike: the
status read 已結束 (the word shared with a referral's and an operation's) while the page's own
sentences said 個案已結案 and "Not closed" 未結案, two words for one state of one case."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from backend.compliance import services
from backend.compliance.models import ComplianceCase, Referral
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_a_closed_case_reads_yi_jie_an_on_its_page(case, carol, client):
    services.case_decide(user=carol.user, case=case, outcome="closed", reason="Permit shown.")
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    page = client.get(f"/compliance/cases/{case.uuid}/").content.decode()
    status = re.search(r'<li><span class="value">(.*?)</span><span class="label">狀態</span>', page)
    assert status and status.group(1) == "已結案", page[:3000]
    assert "已結束" not in page


def test_every_sentence_about_a_closed_case_says_jie_an():
    with translation.override("zh-hant"):
        assert ComplianceCase.Status.CLOSED.label == "已結案"
        for text in (
            "This case is already closed.",
            "Outcome recorded; the case is closed.",
            "Outcome recorded; the case is closed and its follow-up request withdrawn.",
            "The case is closed without a follow-up inspection.",
        ):
            said = translation.gettext(text)
            assert "結案" in said and "結束" not in said, (text, said)
        # A referral is not a case: it stays 已結束, as the privacy pages call it.
        assert Referral.Status.CLOSED.label == "已結束"
