"""The officer's declarations of conflicts of interest work offline, and a tie that has ended is
withdrawn, on a 390 px phone, axe clean, in English, Portuguese and Chinese.

- Offline, the Conflicts screen said only "can be read when the phone is online", and a
  declaration could not be made at all ("declaring needs a connection"). Now the declarations as
  last read are shown "as of" that time; one made offline is kept on the phone ("Waiting to be
  sent") and sent by the next sync under the id the phone made, so the server stores it once. One
  the server refuses by then (the site left the registry) is kept, "Not taken by the server", with
  the reason in the officer's language, until removed.
- A declaration could not be withdrawn: an officer whose cousin left the karaoke stayed barred
  from it. "Withdraw", tapped again to confirm, marks it withdrawn: listed as withdrawn, kept on
  the server, and the scheduler no longer honours it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.registry import services as registry
from backend.registry.models import ConflictOfInterest
from tests import factories
from tests.browser_support import SCREENSHOTS, axe_check
from tests.mobile_api.field.phone import PHONE_390, go_online, open_phone, sign_in_app, wait_offline_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "My cousin manages this karaoke."
LANGUAGES = (
    ("pt", "A aguardar envio", "Retirar"),
    ("zh-hant", "等待傳送", "撤回"),
)


def queued_on_phone(page) -> list[dict]:
    return page.evaluate(
        "async () => (await (await import('/static/field/js/store.js')).all('conflicts'))"
        ".map(d => ({id: d.id, refused: d.refused}))"
    )


def narrow_and_clean(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways
    axe_check(page)


def choose(page, query: str, name: str, reason: str = REASON) -> None:
    page.locator("#conflict-q").fill(query)
    page.locator("#conflict-search").click()
    page.get_by_label(name).check()
    page.locator("#conflict-reason").fill(reason)


def test_a_declaration_made_offline_waits_on_the_phone_and_is_sent_once_online(pages, alice, karaoke):
    sauna = factories.site(name_en="Jade Sauna", venue_type="sauna")
    registry.conflict_declare(actor=None, officer=alice, site=sauna, reason="My brother owns it.")
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.locator("#open-conflicts").click()
    listed = page.locator("#conflicts-list li.conflict")
    expect(listed).to_have_count(1)
    expect(page.locator("#conflicts-as-of")).to_be_hidden()  # read just now

    # Chosen online, declared with the network gone: kept on the phone, said, and listed.
    choose(page, "lotus", "Golden Lotus Karaoke")
    page.context.set_offline(True)
    page.locator("#conflict-declare").click()
    expect(page.locator("#conflict-message")).to_have_text(
        "No network: your declaration of Golden Lotus Karaoke is kept on this phone and will be "
        "sent when it is online."
    )
    waiting = page.locator("#conflicts-list li.conflict.queued")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text("Golden Lotus Karaoke")
    expect(waiting).to_contain_text(REASON)
    expect(waiting.locator(".badge")).to_have_text("Waiting to be sent")
    expect(page.locator("#conflict-reason")).to_have_value("")  # the form starts afresh
    assert ConflictOfInterest.objects.filter(site=karaoke).count() == 0
    narrow_and_clean(page)

    # The app started again offline: the declarations as last read, "as of" when, and the one
    # waiting, all from the phone.
    page.reload()
    page.locator("body[data-ready]").wait_for(state="attached")
    page.goto(f"{pages.base_url}/field/#/conflicts")
    expect(page.locator("#conflicts-as-of")).to_contain_text("As of ")
    expect(listed).to_have_count(2)
    expect(page.locator("#conflicts-list li.conflict:not(.queued)")).to_contain_text("Jade Sauna")
    expect(waiting.locator(".badge")).to_have_text("Waiting to be sent")
    narrow_and_clean(page)
    for language, waiting_text, _withdraw in LANGUAGES:
        page.locator("#back").click()
        page.locator("#language").select_option(language)
        page.locator("#open-conflicts").click()
        expect(waiting.locator(".badge")).to_have_text(waiting_text)
        expect(page.locator("#conflicts-as-of")).to_be_visible()
        narrow_and_clean(page)
        page.screenshot(path=str(SCREENSHOTS / f"field-conflicts-offline-{language}-390.png"), full_page=True)
    page.locator("#back").click()
    page.locator("#language").select_option("en")
    page.locator("#open-conflicts").click()

    # Online again: the sync sends it under the phone's id, and the list says it is declared.
    made = queued_on_phone(page)[0]["id"]
    go_online(page)
    expect(waiting).to_have_count(0, timeout=30_000)
    expect(listed).to_have_count(2)
    expect(listed.first).to_contain_text("Golden Lotus Karaoke")
    expect(listed.first).to_contain_text("Declared:")
    row = ConflictOfInterest.objects.get(site=karaoke)
    assert (str(row.uuid), row.officer, row.reason) == (made, alice, REASON)
    assert queued_on_phone(page) == []
    narrow_and_clean(page)


def test_a_declaration_refused_when_sent_is_kept_and_said_in_the_officers_language(pages, alice):
    bar = factories.site(name_en="Lotus Bar", venue_type="bar")
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    page.locator("#language").select_option("pt")
    page.locator("#open-conflicts").click()
    choose(page, "lotus", "Lotus Bar")
    page.context.set_offline(True)
    page.locator("#conflict-declare").click()
    expect(page.locator("#conflicts-list li.conflict.queued")).to_have_count(1)

    bar.delete()  # meanwhile the site leaves the registry
    go_online(page)
    refused = page.locator("#conflicts-list li.conflict.refused")
    expect(refused).to_have_count(1, timeout=30_000)
    expect(refused.locator(".badge")).to_have_text("Não aceite pelo servidor")
    expect(refused.locator(".refusal")).to_contain_text("O servidor não aceitou esta declaração: ")
    expect(refused.locator(".refusal")).to_contain_text("Nenhum local do registo tem este identificador.")
    assert [d["refused"] is not None for d in queued_on_phone(page)] == [True]
    assert not ConflictOfInterest.objects.exists()
    narrow_and_clean(page)

    # Not sent again by the next sync; removed when the officer has read it.
    refused.locator("button.remove-conflict").click()
    expect(page.locator("#conflict-message")).to_have_text(
        "A declaração de Lotus Bar foi removida deste telemóvel."
    )
    expect(refused).to_have_count(0)
    assert queued_on_phone(page) == []
    expected = [p for p in pages.problems if "status of 400" in p]
    assert expected, pages.problems
    for problem in expected:
        pages.problems.remove(problem)


def test_an_officer_withdraws_a_declaration_after_confirming(pages, alice, karaoke):
    declared = registry.conflict_declare(actor=None, officer=alice, site=karaoke, reason=REASON)
    for name in ("Jade Sauna", "Silver Moon Massage"):
        registry.conflict_declare(
            actor=None, officer=alice, site=factories.site(name_en=name), reason="Cousin."
        )
    page = open_phone(pages, viewport=PHONE_390)
    sign_in_app(page, pages.base_url, "alice")
    page.locator("#open-conflicts").click()
    card = page.locator(f"#conflicts-list li.conflict[data-id='{declared.uuid}']")
    button = card.locator("button.withdraw-conflict")
    expect(button).to_have_text("Withdraw")

    # The first tap asks, and says what withdrawing means; nothing is sent yet.
    button.click()
    expect(button).to_have_text("Withdraw it: the tie has ended? Tap again")
    warning = card.locator(".notice.warn")
    expect(warning).to_have_text(
        "Withdrawn, the declaration stays on record, and the planners' teams may send you to "
        "Golden Lotus Karaoke again."
    )
    expect(button).to_have_attribute("aria-describedby", warning.get_attribute("id"))
    assert ConflictOfInterest.objects.get(site=karaoke).withdrawn_at is None
    narrow_and_clean(page)

    button.click()
    expect(page.locator("#conflict-message")).to_have_text("Withdrawn: Golden Lotus Karaoke.")
    expect(card).to_have_class("card conflict withdrawn")
    expect(card.locator("[data-status=withdrawn]")).to_contain_text("Withdrawn: ")
    expect(card.locator("button.withdraw-conflict")).to_have_count(0)
    assert ConflictOfInterest.objects.get(site=karaoke).withdrawn_at is not None
    narrow_and_clean(page)
    page.screenshot(path=str(SCREENSHOTS / "field-conflicts-withdrawn-en-390.png"), full_page=True)

    # (Withdrawn offline, it waits on the phone: test_withdraw_offline.py.)

    # In Portuguese and Chinese: the button, its question, the withdrawn one said withdrawn.
    for language, _waiting, withdraw in LANGUAGES:
        page.locator("#back").click()
        page.locator("#language").select_option(language)
        page.locator("#open-conflicts").click()
        expect(card.locator("[data-status=withdrawn]")).to_be_visible()
        massage = page.locator("#conflicts-list li.conflict", has_text="Silver Moon Massage")
        expect(massage.locator("button.withdraw-conflict")).to_have_text(withdraw)
        massage.locator("button.withdraw-conflict").click()
        expect(massage.locator(".notice.warn")).to_be_visible()
        narrow_and_clean(page)
        page.screenshot(
            path=str(SCREENSHOTS / f"field-conflicts-withdraw-{language}-390.png"), full_page=True
        )
    assert ConflictOfInterest.objects.filter(withdrawn_at__isnull=False).count() == 1
