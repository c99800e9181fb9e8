""" "Última sincronização" says today's sync by its time alone, yesterday's as yesterday, and an
older one with its day, in the officer's language. It said "dom., 6/12, 03:10" for a sync made a
minute before: the day took the eye and the line's width for nothing on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.mobile_api.field.phone import PHONE_390, open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The phone's record of its last sync set some days back (a sync stamps it with the phone's time),
# and the home screen drawn again.
SYNCED_DAYS_AGO = """async (days) => {
    const src = document.querySelector('script[type=module]').src;
    const store = await import(src.replace('app.js', 'store.js'));
    const at = new Date(Date.now() - days * 86400000);
    await store.put('kv', at.toISOString(), 'synced_at');
    return new Intl.DateTimeFormat('en-GB', {
        hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Macau',
    }).format(at);
}"""


def home_again(page, base_url: str, assignment_id: str) -> None:
    page.goto(f"{base_url}/field/#/a/{assignment_id}")
    page.locator("#check-in").wait_for()
    page.goto(f"{base_url}/field/#/")


@pytest.mark.parametrize(
    ("locale", "label", "yesterday", "date"),
    [
        ("pt-PT", "Última sincronização: ", "ontem às ", r"\d{1,2}/\d{1,2}"),
        ("zh-Hant", "上次同步：", "昨天 ", r"\d{1,2}月\d{1,2}日"),
    ],
)
def test_the_last_sync_is_said_by_its_time_today(pages, field, locale, label, yesterday, date):
    page = open_phone(pages, locale=locale, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    synced = page.locator("#synced")
    # Synced just now: the time alone, on the 24-hour clock.
    expect(synced).to_have_text(re.compile("^" + re.escape(label) + r"\d\d:\d\d$"))

    at = page.evaluate(SYNCED_DAYS_AGO, 1)
    home_again(page, pages.base_url, str(field.revealed.uuid))
    expect(synced).to_have_text(label + yesterday + at)

    # Before yesterday: with its day.
    page.evaluate(SYNCED_DAYS_AGO, 3)
    home_again(page, pages.base_url, str(field.revealed.uuid))
    expect(synced).to_contain_text(re.compile(date))
