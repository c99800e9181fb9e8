"""Chinese text in the field app takes full-width punctuation (，。：；？！（）). The catalogues were
mostly right, but the app put texts together with half-width marks of its own: "待傳送: 1",
"場所類型 (必填)", a team as "陳朵拉 (PSP), 艾麗斯 (PSP)", opening hours joined by ", ". Guarded
here: the field app's zh_Hant catalogues (and the texts the page gives the scripts) and the screens
as an officer reads them carry no half-width ",.:;?!()" beside a Chinese character, placeholders
(%(name)s, {n}), addresses, times (21:40), numbers (22.2, 113.55) and a list's numbering (1.)
aside."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from playwright.sync_api import expect

from mobile_api.field.texts import texts_for_all_languages
from tests.mobile_api.field.phone import fill_checklist, open_phone, sign_in_app, wait_offline_ready

ROOT = Path(__file__).resolve().parents[3]
CATALOGUES = (
    ROOT / "mobile_api" / "field" / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po",
    ROOT / "mobile_api" / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po",
)
HALF_WIDTH = set(",.:;?!()")
# Han, kana, CJK symbols and punctuation, full-width forms: what makes a mark beside it Chinese.
CJK = re.compile(
    r"[\u2e80-\u2fff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)
PLACEHOLDER = re.compile(r"%\([A-Za-z0-9_]+\)[sdif]|%[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}")
URL = re.compile(r"https?://\S+|www\.\S+")
NUMBERING = re.compile(r"(?m)^\s*\d+\.\s")


def half_width_beside_chinese(text: str) -> list[str]:
    """Each half-width mark of ",.:;?!()" whose nearest neighbour on either side (spaces aside) is
    Chinese, shown in its context. A placeholder counts as a number (what fills it is, or is a
    name); addresses and a list's numbering ("1. ") are left out; a mark between two digits
    (21:40, 22.2, 1,000) has no Chinese neighbour."""
    text = NUMBERING.sub("", PLACEHOLDER.sub("0", URL.sub(" ", text)))
    found = []
    for i, mark in enumerate(text):
        if mark not in HALF_WIDTH:
            continue
        before, after = text[:i].rstrip()[-1:], text[i + 1 :].lstrip()[:1]
        if (before and CJK.match(before)) or (after and CJK.match(after)):
            found.append(text[max(0, i - 8) : i + 9])
    return found


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("已登入: {name}", True),
        ("待傳送:3", True),
        ("場所類型 (必填)", True),
        ("%(name)s, 你好", True),
        ("同步中...", True),
        ("你好!", True),
        ("是嗎?", True),
        ("週一 20:00–04:00, 週二 20:00–04:00", True),
        ("已登入：{name}", False),
        ("位置 {lat}, {lon}（準確度 {accuracy} 米）", False),
        ("於 21:40 簽到", False),
        ("距離 1.5 公里", False),
        ("附件最多 %(limit)s 位元組。", False),
        ("詳見 https://example.org/a,b?c=1 網頁", False),
        ("1. 金蓮卡拉OK", False),
        ("Alice Police (PSP), Dora Police (PSP)", False),  # no Chinese beside them
        ("{name}（{agency}，職員編號 {badge}）", False),
    ],
)
def test_the_check_itself(text, bad):
    assert bool(half_width_beside_chinese(text)) is bad, half_width_beside_chinese(text)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_zh_hant_catalogues_of_the_field_app_use_full_width_punctuation(path):
    found = {}
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if bad := half_width_beside_chinese(text):
                found[entry.msgid] = (text, bad)
    assert not found, "\n".join(f"{msgid!r}: {text!r} at {bad}" for msgid, (text, bad) in found.items())


def test_the_texts_the_scripts_get_in_chinese_use_full_width_punctuation():
    found = {}
    for key, text in texts_for_all_languages()["zh-hant"].items():
        for form in text.values() if isinstance(text, dict) else [text]:
            if bad := half_width_beside_chinese(form):
                found[key] = (form, bad)
    assert not found, found


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_screens_in_chinese_use_full_width_punctuation(pages, field, alice, dora):
    # Chinese names, as most officers' and sites' are: what the app puts beside them shows.
    for officer, name in ((alice, "艾麗斯"), (dora, "陳朵拉")):
        officer.full_name = name
        officer.save(update_fields=["full_name"])
    site = field.revealed.site
    site.name_zh_hant = "金蓮卡拉OK"
    site.save(update_fields=["name_zh_hant"])

    page = open_phone(pages, locale="zh-TW")
    sign_in_app(page, pages.base_url, "alice")
    shown = {}

    def read(screen: str) -> None:
        shown[screen] = page.locator("main").inner_text()

    read("home")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    expect(page.locator("#main dd").nth(4)).to_have_text("艾麗斯（PSP）、陳朵拉（PSP）")
    read("visit")
    page.locator("button[data-template='venue_prostitution_trafficking']").click()
    expect(page.locator(".q[data-key='venue_type'] .req")).to_have_text("（必填）")
    read("checklist")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("#check-in").wait_for()

    # A checklist waiting to be sent: the count at the foot of the home screen.
    wait_offline_ready(page)
    page.context.set_offline(True)
    fill_checklist(page, str(field.revealed.uuid), "ilo_forced_labour_screening", {"screened_count": 1})
    page.goto(f"{pages.base_url}/field/#/")
    expect(page.locator("main")).to_contain_text("待傳送：1")
    read("home, work waiting")

    found = {screen: bad for screen, text in shown.items() if (bad := half_width_beside_chinese(text))}
    assert not found, found
    assert "每日 20:00–04:00" in shown["visit"]  # opening hours: the same every day
    # Times on the 24-hour clock, as those opening hours: no 上午 or 下午 beside them.
    clock_words = {screen: text for screen, text in shown.items() if "上午" in text or "下午" in text}
    assert not clock_words, clock_words
