"""One Chinese word for a notice: 通知書, the document's own title (糾正通知書) and the word the
catalogues use most. The case page's section was headed 通知 above 下載通知 and 發出通知, while
its status said 已發出通知書 and the notice itself 本通知書 (found on a newcomer's walk)."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from tests.compliance.pages.conftest import signed_in
from tests.compliance.pages.test_date_formats import visible_text

ROOT = Path(__file__).resolve().parents[3]
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/zh_Hant/LC_MESSAGES/django.po") if ".venv" not in p.parts)
# "notice" the document (not "notify", not a notice period); 通知 not followed by 書.
NOTICE = re.compile(r"\bnotices?\b", re.I)
BARE = re.compile(r"通知(?!書)")


def test_there_are_catalogues():
    assert any("compliance" in p.parts for p in CATALOGUES)


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_notice_is_always_a_tong_zhi_shu(catalogue):
    bare = []
    for entry in polib.pofile(str(catalogue)):
        if entry.obsolete or not NOTICE.search(entry.msgid + entry.msgid_plural):
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if BARE.search(text):
                bare.append(f"{entry.msgid!r}: {text}")
    assert not bare, "\n".join(bare)


@pytest.mark.django_db
def test_the_case_page_says_tong_zhi_shu(case, carol, client):
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    page = client.get(f"/compliance/cases/{case.uuid}/").content.decode()
    assert '<h2 id="notice-h">通知書</h2>' in page
    assert not BARE.search(visible_text(page)), visible_text(page)
