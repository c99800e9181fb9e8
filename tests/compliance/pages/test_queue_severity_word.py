"""The review queue's count of high findings says "high" in the word the rest of the console uses.
In Portuguese the queue said "1 grave" where the severity filter above it, and every finding's chip
on the submission, say "alta": a reader could take "grave" for another level (critical is
"crítica"), or look for it in the filter in vain."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_queues_high_count_uses_the_severitys_own_word(visit, carol, client):
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    page = unescape(client.get("/review/").content.decode())
    # The filter's word for high (the finding's severity as the model names it).
    high = re.search(r'<option value="high"[^>]*>([^<]+)</option>', page).group(1)
    assert high == "alta"
    chips = re.findall(r'<span class="badge danger">(\d+ [^<]+)</span>', page)
    assert chips, "no count of high findings in the queue"
    for chip in chips:
        count, word = chip.split(" ", 1)
        assert word == ("alta" if count == "1" else "altas"), chip


def test_the_queues_high_count_reads_as_chinese(visit, carol, client):
    """In Chinese the chip said "1 項高" ("1 item, high"), which reads as broken. It now reads as
    a label and its count, "高：1 項", as the register's counts by severity do, with the word the
    severity filter and each finding's chip use."""
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    page = unescape(client.get("/review/").content.decode())
    high = re.search(r'<option value="high"[^>]*>([^<]+)</option>', page).group(1)
    assert high == "高"
    chips = re.findall(r'<span class="badge danger">([^<]*\d[^<]*)</span>', page)
    assert chips, "no count of high findings in the queue"
    for chip in chips:
        assert re.fullmatch(rf"{high}：\d+ 項", chip), chip
