"""Work the server could not take says so, and when it is tried again as a time: the home screen
said "Next attempt in 120 s" under "Online" and "Queued: 1", a countdown that never counted (it
still said 120 s ten minutes later) and gave no reason the checklist was not sent. Now: "Not sent
yet: the server could not take it now. Next attempt at 21:42.", in the three languages."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.field.phone import PHONE_390, fill_checklist, open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MACAO = zoneinfo.ZoneInfo("Asia/Macau")


def test_a_busy_server_is_said_with_the_time_of_the_next_attempt(pages, field):
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    page.route(
        "**/api/mobile/v1/submissions/batch/**",
        lambda route: route.fulfill(status=503, headers={"Retry-After": "600"}, body=""),
    )
    fill_checklist(
        page,
        str(field.revealed.uuid),
        "venue_prostitution_trafficking",
        {"venue_type": "karaoke", "persons_found": 0, "persons": 0},
    )
    page.goto(pages.base_url + "/field/#/")
    expect(page.locator("#queued")).to_have_text("Queued: 1")
    retry = page.locator("#retry")
    expect(retry).to_have_text(
        re.compile(r"^Not sent yet: the server could not take it now\. Next attempt at \d\d:\d\d\.$")
    )
    said = retry.inner_text()[-6:-1]
    due = dt.datetime.now(MACAO) + dt.timedelta(seconds=600)
    assert said in {(due + dt.timedelta(minutes=m)).strftime("%H:%M") for m in (-1, 0)}, said
    axe_check(page)
    page.locator("#language").select_option("pt")
    expect(retry).to_have_text(
        f"Ainda não enviado: o servidor não o pôde receber agora. Nova tentativa às {said}."
    )
    page.locator("#language").select_option("zh-hant")
    expect(retry).to_have_text(f"尚未傳送：伺服器暫時未能接收。將於{said}再試。")
    # The server's refusals, asked for above, are the console's only errors.
    expected = [p for p in pages.problems if "status of 503 (Service Unavailable)" in p]
    assert expected, pages.problems
    for problem in expected:
        pages.problems.remove(problem)


def test_nothing_waiting_is_not_said_unsent_when_the_server_is_down(pages, field):
    """The assignments alone could not be read (nothing waits to be sent): no "Not sent yet"."""
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    page.route(
        "**/api/mobile/v1/assignments/**",
        lambda route: route.fulfill(status=503, headers={"Retry-After": "600"}, body=""),
    )
    page.locator("#sync").click()
    retry = page.locator("#retry")
    expect(retry).to_have_text(
        re.compile(r"^The server could not be reached now\. Next sync at \d\d:\d\d\.$")
    )
    expect(page.locator("#queued")).to_have_count(0)
    said = retry.inner_text()[-6:-1]
    page.locator("#language").select_option("pt")
    expect(retry).to_have_text(
        f"Não foi possível contactar o servidor agora. Próxima sincronização às {said}."
    )
    page.locator("#language").select_option("zh-hant")
    expect(retry).to_have_text(f"暫時無法連接伺服器。將於{said}再同步。")
    expected = [p for p in pages.problems if "status of 503 (Service Unavailable)" in p]
    assert expected, pages.problems
    for problem in expected:
        pages.problems.remove(problem)
