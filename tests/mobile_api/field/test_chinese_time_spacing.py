"""Chinese sets no space between its words and a date or time filled in ("將於21:42再試"), as most
of the field app's lines already did; a few put spaces around it ("截至 12月6日週日 21:40，此手機上
次讀取的內容", "你已於 12月6日週日 21:40 申報", "取自你於 21:40 的簽到"), which read as gaps in the
sentence. Guarded here: the zh_Hant catalogue, and a screen as an officer reads it (390 px, axe
clean). "昨天 {time}" keeps its space: it separates a day from a time, as the phone's own date
formatting does ("12月6日週日 21:40")."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from playwright.sync_api import expect

from backend.registry import services as registry
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import PHONE_390, open_phone, sign_in_app, wait_offline_ready

CATALOGUE = Path(__file__).resolve().parents[3] / "mobile_api/field/locale/zh_Hant/LC_MESSAGES/django.po"
# A time or a day filled in, with a space between it and a Chinese character on either side.
CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
SPACED = re.compile(rf"{CJK} +\{{(?:time|day|date)\}}|\{{(?:time|day|date)\}} +{CJK}")
DAY_THEN_TIME = {"yesterday at {time}"}


def test_no_space_between_chinese_and_a_date_or_time_in_the_catalogue():
    found = []
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.msgid in DAY_THEN_TIME or entry.obsolete:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if SPACED.search(text):
                found.append(text)
    assert found == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_declarations_as_of_when_read_without_gaps_in_chinese(pages, alice, karaoke):
    registry.conflict_declare(actor=None, officer=alice, site=karaoke, reason="我的表哥是這裏的經理。")
    page = open_phone(pages, locale="zh-Hant", viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.locator("#open-conflicts").click()
    expect(page.locator("#conflicts-list li.conflict")).to_have_count(1)
    page.locator("#back").click()

    page.context.set_offline(True)
    page.locator("#open-conflicts").click()
    as_of = page.locator("#conflicts-as-of")
    expect(as_of).to_have_text(re.compile(r"^截至\d+月\d+日週.\s?\d\d:\d\d，此手機上次讀取的內容。$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(page)
