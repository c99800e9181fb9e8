"""Signing out deletes what the phone keeps of the officer, and its question names all of it.

A check-in the server refused (kept, "Not taken by the server", until the officer removes it) was
deleted by signing out on a single tap, the question naming nothing: the officer lost the only
record of the server's reason. A declaration of a conflict of interest waiting to be sent went the
same way. Both are named now, in each language, and the button says what the second tap does."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.inspections import services as inspections
from backend.registry.models import ConflictOfInterest
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import PHONE_390, go_online, open_phone, sign_in_app, wait_offline_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "button", "refused", "declared"),
    [
        (
            "en",
            "Delete them and sign out",
            "Not taken by the server: 1 check-in. Signing out deletes them, and what the server said "
            "of them.",
            "Declarations of conflicts of interest the server has not stored: 1 declaration. Sync first, "
            "or signing out deletes them.",
        ),
        (
            "pt",
            "Apagar e sair",
            "Não aceites pelo servidor: 1 chegada registada. Sair apaga-as, com o que o servidor "
            "disse delas.",
            "Declarações de conflitos de interesses que o servidor não guardou: 1 declaração. Sincronize "
            "primeiro, ou sair apaga-as.",
        ),
        (
            "zh-hant",
            "刪除並登出",
            "伺服器未接收：1 項簽到。登出會刪除它們及伺服器的說明。",
            "伺服器尚未儲存的利益衝突申報：1 項申報。請先同步，否則登出會刪除它們。",
        ),
    ],
)
def test_sign_out_names_refused_check_ins_and_declarations_waiting(
    pages, field, dora, karaoke, language, button, refused, declared
):
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.locator("#language").select_option(language)
    page.context.set_offline(True)
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("#check-in").click()
    # The planner takes alice off the team: the check-in is refused when sent, and kept.
    inspections.team_set_members(actor=None, team=field.revealed.team, members=[dora], leader=dora)
    go_online(page)
    expect(page.locator("#outbox-list li.checkin .badge[data-status=refused]")).to_have_count(
        1, timeout=30_000
    )

    # Alone, the refused check-in is named, and the first tap deletes nothing.
    sign_out = page.locator("#sign-out")
    sign_out.click()
    expect(sign_out).to_have_text(button)
    expect(page.locator("#sign-out-warning")).to_have_text(refused)
    expect(sign_out).to_have_attribute("aria-describedby", "sign-out-warning")
    axe_check(page)

    # A declaration made offline, waiting to be sent: named as well.
    page.goto(f"{pages.base_url}/field/#/conflicts")
    page.locator("#conflict-q").fill("lotus")
    page.locator("#conflict-search").click()
    page.locator("input[name=conflict-target]").first.check()
    page.locator("#conflict-reason").fill("My cousin manages it.")
    page.context.set_offline(True)
    page.locator("#conflict-declare").click()
    expect(page.locator("#conflicts-list li.conflict.queued")).to_have_count(1)
    page.locator("#back").click()
    sign_out.click()
    expect(sign_out).to_have_text(button)
    expect(page.locator("#sign-out-warning")).to_contain_text(refused)
    expect(page.locator("#sign-out-warning")).to_contain_text(declared)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(page)

    sign_out.click()  # the second tap signs out, as the button said
    expect(page.locator("#username")).to_be_visible()
    left = page.evaluate(
        """async () => {
            const store = await import('/static/field/js/store.js');
            return (await store.all('checkins')).length + (await store.all('conflicts')).length;
        }"""
    )
    assert left == 0
    assert not ConflictOfInterest.objects.exists()
    expected = [p for p in pages.problems if "status of 404" in p and "/check-ins/" in p]
    assert expected, pages.problems
    for problem in expected:
        pages.problems.remove(problem)
