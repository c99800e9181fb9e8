"""The unpublished report's notice reads as one sentence in English too: the English date format
ends with "a.m."/"p.m.", and the notice put the date before its own full stop ("11:08 p.m..")."""

from __future__ import annotations

import pytest

from tests.browser_support import sign_in_client

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def test_the_not_published_notice_has_no_double_full_stop(client, andy):
    sign_in_client(client, "andy", PASSWORD)
    page = client.get("/statistics/report/2022-2022/?lang=en").content.decode()
    notice = page[page.index("Not published:") :][:300]
    assert ".." not in notice, notice
    assert "Each figure comes with its definition." in notice


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hant", "未發佈：數字於"), ("pt", "Não publicado: números")]
)
def test_the_notice_stays_translated(client, andy, language, words):
    sign_in_client(client, "andy", PASSWORD)
    page = client.get(f"/statistics/report/2022-2022/?lang={language}").content.decode()
    assert words in page
