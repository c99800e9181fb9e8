"""A declaration of a conflict of interest is withdrawn offline as it is declared offline: kept on
the phone ("Withdrawal waiting to be sent"), counted on the home screen, and sent by the next
sync. Withdrawing needed the network ("withdrawing needs a connection"): an officer whose tie
ended while out of coverage had to remember to come back and do it again. The server's withdraw
is idempotent, so a replay (the answer lost, or withdrawn meanwhile from elsewhere) changes
nothing and the phone shows it withdrawn. On a 390 px phone, axe clean, in English, Portuguese
and Chinese."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.audit.models import AuditEntry
from backend.registry import services as registry
from tests import factories
from tests.browser_support import SCREENSHOTS, axe_check
from tests.mobile_api.field.phone import PHONE_390, go_online, open_phone, sign_in_app, wait_offline_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAID = (
    ("pt", "Retirada a aguardar envio", "Em fila: 1, incluindo 1 retirada de uma declaração"),
    ("zh-hant", "撤回等待傳送", "待傳送：1，包括 1 項申報撤回"),
    ("en", "Withdrawal waiting to be sent", "Queued: 1, including 1 withdrawal of a declaration"),
)


def withdrawals_on_phone(page) -> list[str]:
    return page.evaluate(
        "async () => ((await (await import('/static/field/js/store.js'))"
        ".get('kv', 'conflict_withdrawals')) || []).map(w => w.id)"
    )


def test_a_withdrawal_made_offline_waits_and_is_sent_once_online(pages, alice):
    spa = factories.site(name_en="Pearl River Spa", name_zh_hant="珠江水療", name_pt="Spa Rio das Pérolas")
    declared = registry.conflict_declare(actor=None, officer=alice, site=spa, reason="My brother owns it.")
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.locator("#open-conflicts").click()
    card = page.locator(f"#conflicts-list li.conflict[data-id='{declared.uuid}']")
    expect(card.locator("button.withdraw-conflict")).to_have_text("Withdraw")

    page.context.set_offline(True)
    card.locator("button.withdraw-conflict").click()
    card.locator("button.withdraw-conflict").click()
    expect(page.locator("#conflict-message")).to_have_text(
        "No network: withdrawing your declaration of Pearl River Spa is kept on this phone and will be "
        "sent when it is online."
    )
    expect(card.locator("[data-status=withdraw-queued]")).to_have_text("Withdrawal waiting to be sent")
    expect(card.locator("button.withdraw-conflict")).to_have_count(0)
    assert withdrawals_on_phone(page) == [str(declared.uuid)]
    declared.refresh_from_db()
    assert declared.withdrawn_at is None
    axe_check(page)

    for language, badge, count in SAID:
        page.locator("#back").click()
        page.locator("#language").select_option(language)
        expect(page.locator("#queued")).to_have_text(count)
        axe_check(page)
        page.locator("#open-conflicts").click()
        expect(card.locator("[data-status=withdraw-queued]")).to_have_text(badge)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        axe_check(page)
        page.screenshot(path=str(SCREENSHOTS / f"field-withdraw-offline-{language}-390.png"), full_page=True)

    # Signing out would delete it: the question names it.
    page.locator("#back").click()
    page.locator("#sign-out").click()
    expect(page.locator("#sign-out-warning")).to_have_text(
        "Withdrawals of declarations not yet sent: 1. Sync first, or signing out deletes them."
    )
    page.locator("#open-conflicts").click()

    # Withdrawn meanwhile from elsewhere (or the answer to an earlier send lost): the replay the
    # sync sends changes nothing, and the phone shows it withdrawn, as the server has it.
    registry.conflict_withdraw(actor=None, conflict=declared)
    declared.refresh_from_db()
    withdrawn_at = declared.withdrawn_at
    go_online(page)
    expect(card).to_have_class("card conflict withdrawn", timeout=30_000)
    expect(card.locator("[data-status=withdrawn]")).to_contain_text("Withdrawn: ")
    assert withdrawals_on_phone(page) == []
    declared.refresh_from_db()
    assert declared.withdrawn_at == withdrawn_at
    assert AuditEntry.objects.filter(verb="conflict_withdraw").count() == 1
    page.locator("#back").click()
    expect(page.locator("#queued")).to_have_count(0)


def test_a_withdrawal_the_server_refuses_is_said_then_dropped_when_the_declaration_is_gone(pages, alice):
    spa = factories.site(name_en="Pearl River Spa")
    declared = registry.conflict_declare(actor=None, officer=alice, site=spa, reason="My brother owns it.")
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    page.locator("#language").select_option("pt")
    page.locator("#open-conflicts").click()
    card = page.locator(f"#conflicts-list li.conflict[data-id='{declared.uuid}']")
    expect(card).to_be_visible()  # read: nothing is on its way when the network goes
    page.context.set_offline(True)
    card.locator("button.withdraw-conflict").click()
    card.locator("button.withdraw-conflict").click()
    expect(card.locator("[data-status=withdraw-queued]")).to_be_visible()

    declared.delete()  # meanwhile an administrator removes it: the withdraw answers 404
    go_online(page)
    expect(card.locator(".refusal")).to_contain_text("Não retirada: ", timeout=30_000)
    expect(card.locator("[data-status=withdraw-queued]")).to_have_count(0)
    axe_check(page)
    # Not sent again by itself; read again, the declaration is gone, and so is its withdrawal.
    page.locator("#back").click()
    expect(page.locator("#queued")).to_have_count(0)
    page.locator("#open-conflicts").click()
    expect(page.locator("#conflicts-list li.muted")).to_be_visible()  # read again: none listed
    expect(card).to_have_count(0)
    assert withdrawals_on_phone(page) == []
    # The refused withdraw is a 404 in the console, expected; closed first, so that none is still
    # on its way when the rest are checked.
    page.context.close()
    expected = [p for p in pages.problems if "status of 404" in p and "/withdraw/" in p]
    assert expected, pages.problems
    for problem in expected:
        pages.problems.remove(problem)
