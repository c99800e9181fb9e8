"""Where a visit stands, on the phone: a finished checklist is opened (and corrected from there),
never started a second time; a draft, and only a draft, is discarded on its own after a second
tap; each assignment card says whether the visit is untouched, checked in, in draft, waiting to
send or sent; counts read in the singular and the plural; and the note after finishing says
what happened to the checklist, not what will."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.inspections.models import Submission
from tests.browser_support import axe_check
from tests.mobile_api.conftest import submission_payload
from tests.mobile_api.field.phone import (
    answer_everything,
    fill_checklist,
    go_online,
    open_phone,
    sign_in_app,
    small_touch_targets,
    wait_offline_ready,
    wait_statuses,
    work_items,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "venue_prostitution_trafficking"
SCREENING = "ilo_forced_labour_screening"
QUIET_VENUE = {"venue_type": "karaoke", "persons_found": 0, "persons": 0}


def open_assignment(page, assignment_id: str) -> None:
    page.goto(page.url.split("#")[0] + f"#/a/{assignment_id}")
    page.locator("#check-in").wait_for()


def test_a_finished_checklist_is_opened_never_started_a_second_time(pages, field):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    visit = str(field.revealed.uuid)

    # Finished offline: waiting to be sent, and said so where "Start" was.
    page.context.set_offline(True)
    fill_checklist(page, visit, VENUE, QUIET_VENUE)
    finished = page.locator(f"#checklists [data-finished='{VENUE}']")
    expect(finished).to_contain_text("is finished and waits to be sent")
    expect(finished.locator("[data-status='queued']")).to_be_visible()
    expect(page.locator(f"#checklists button[data-template='{VENUE}']")).to_have_count(0)
    # The visit's other checklist is still there to start.
    expect(page.locator(f"#checklists button[data-template='{SCREENING}']")).to_have_text(
        "Start ILO forced-labour indicator screening (per person)"
    )

    # Sent: the assignment screen says so and opens it; from there it is corrected, not redone.
    go_online(page)
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    open_assignment(page, visit)
    expect(finished).to_contain_text("was sent")
    expect(finished.locator("[data-status='complete']")).to_be_visible()
    expect(page.locator(f"#checklists button[data-template='{VENUE}']")).to_have_count(0)
    axe_check(page)
    assert small_touch_targets(page) == []
    finished.locator("a.button").click()
    expect(page.locator("#main > p .badge[data-status='complete']")).to_be_visible()
    expect(page.locator("#correct")).to_be_visible()
    expect(page.locator("#finish")).to_have_count(0)
    assert [w["status"] for w in work_items(page)] == ["complete"]
    assert Submission.objects.count() == 1


def test_a_draft_alone_is_discarded_after_a_second_tap(pages, field, second_visit):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.context.set_offline(True)
    # One visit finished (queued, offline), the other begun with a photo taken.
    fill_checklist(page, str(second_visit.uuid), VENUE, QUIET_VENUE)
    open_assignment(page, str(field.revealed.uuid))
    page.locator(f"button[data-template='{VENUE}']").click()
    answer_everything(page, {"venue_type": "karaoke", "persons_found": 1, "persons": 1})
    expect(page.locator("#saved")).to_have_text("Saved on this phone")
    held = {w["status"]: w["id"] for w in work_items(page)}
    assert set(held) == {"queued", "draft"}
    files_before = page.evaluate(
        "async () => (await (await import('/static/field/js/store.js')).all('files')).map(f => f.work)"
    )
    assert held["draft"] in files_before and held["queued"] in files_before

    # The first tap only asks; the second discards the draft, with its photos, and nothing else.
    discard = page.locator("#discard")
    discard.click()
    expect(discard).to_have_text("Discard this draft for good? Tap again")
    assert len(work_items(page)) == 2
    discard.click()
    expect(page.locator("#main .notice")).to_have_text("Draft discarded.")
    expect(page.locator(f"#checklists button[data-template='{VENUE}']")).to_have_text(
        "Start Venue inspection – prostitution and trafficking"
    )
    assert work_items(page) == [{"id": held["queued"], "status": "queued"}]
    files_after = page.evaluate(
        "async () => (await (await import('/static/field/js/store.js')).all('files')).map(f => f.work)"
    )
    assert held["draft"] not in files_after and held["queued"] in files_after

    # A finished checklist offers no discard, and the outbox refuses to discard one anyway.
    page.goto(pages.base_url + f"/field/#/w/{held['queued']}")
    expect(page.locator("#main .badge[data-status='queued']")).to_be_visible()
    expect(page.locator("#discard")).to_have_count(0)
    refused = page.evaluate(
        "async (id) => (await import('/static/field/js/outbox.js')).discard(id)", held["queued"]
    )
    assert refused is False
    assert work_items(page) == [{"id": held["queued"], "status": "queued"}]

    go_online(page)
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    assert Submission.objects.count() == 1


def card_states(page) -> list[str]:
    return page.locator("#assignments .visit-state .badge").evaluate_all(
        "els => els.map(e => e.dataset.state)"
    )


def expect_card_states(page, expected: list[str]) -> None:
    page.wait_for_function(
        """(expected) => JSON.stringify([...document.querySelectorAll(
            '#assignments .visit-state .badge')].map(e => e.dataset.state)) === JSON.stringify(expected)""",
        arg=expected,
    )


def test_each_assignment_card_shows_where_its_visit_stands(pages, field, second_visit):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    wait_offline_ready(page)
    page.locator("#assignments .assignment").nth(1).wait_for()
    expect_card_states(page, ["not_started", "not_started"])
    expect(page.locator("#assignments .visit-state").first).to_have_text("Not started")

    open_assignment(page, str(field.revealed.uuid))
    clicked_at = page.evaluate("() => new Date().toISOString()")
    page.locator("#check-in").click()
    # Sent with the sync it starts: wait for it to end before the network goes. "Checked in" is
    # said once the check-in is sent, while the sync goes on to read the assignments and their
    # checklists: cut off then, a checklist's read failed (a console error) in CI.
    expect(page.locator("#checkin-status")).to_contain_text("Checked in")
    synced = """async (since) => {
        const store = await import('/static/field/js/store.js');
        const at = await store.get('kv', 'synced_at');
        return Boolean(at) && at > since;
    }"""
    for _ in range(300):
        if page.evaluate(synced, clicked_at):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the sync the check-in started did not end")
    page.goto(pages.base_url + "/field/#/")
    expect_card_states(page, ["checked_in", "not_started"])

    page.context.set_offline(True)
    open_assignment(page, str(second_visit.uuid))
    page.locator(f"button[data-template='{VENUE}']").click()
    page.locator("#finish").wait_for()
    page.goto(pages.base_url + "/field/#/")
    expect_card_states(page, ["checked_in", "draft"])

    fill_checklist(page, str(field.revealed.uuid), VENUE, QUIET_VENUE)
    page.goto(pages.base_url + "/field/#/")
    expect_card_states(page, ["waiting", "draft"])
    expect(page.locator("#assignments .visit-state").first).to_have_text("Waiting to send")

    go_online(page)
    expect(page.locator("#outbox-list [data-status='complete']")).to_be_visible()
    expect_card_states(page, ["sent", "draft"])
    assert small_touch_targets(page) == []
    axe_check(page)

    # In the officer's language.
    page.locator("#language").select_option("pt")
    expect(page.locator("#assignments .visit-state")).to_have_text(["Enviada", "Rascunho em curso"])
    page.locator("#language").select_option("zh-hant")
    expect(page.locator("#assignments .visit-state")).to_have_text(["已傳送", "草稿進行中"])


def test_counts_take_the_singular_and_the_plural_in_each_language(pages, field):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    counts = page.evaluate(
        """async () => {
            const i18n = await import('/static/field/js/i18n.js');
            const out = {};
            for (const language of ['en', 'pt', 'zh-hant']) {
                await i18n.set(language);
                out[language] = [0, 1, 2].map(count => i18n.t('findings_n', {count}));
            }
            await i18n.set('en');
            return out;
        }"""
    )
    assert counts == {
        "en": ["0 findings recorded", "1 finding recorded", "2 findings recorded"],
        "pt": ["0 constatações registadas", "1 constatação registada", "2 constatações registadas"],
        "zh-hant": ["已記錄 0 項發現", "已記錄 1 項發現", "已記錄 2 項發現"],
    }

    # On screen: a visit with one finding, in English then in Portuguese.
    # One person, an adult with signs of trafficking (the default "yes" answers): one finding.
    fill_checklist(
        page,
        str(field.revealed.uuid),
        VENUE,
        {"venue_type": "karaoke", "persons_found": 1, "persons": 1, "apparent_minor": False},
    )
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    [submission] = Submission.objects.all()
    found = submission.findings.count()
    assert found == 1, found
    details = page.locator("#outbox-list li p.muted")
    expect(details).to_contain_text("1 finding recorded ·")
    page.locator("#language").select_option("pt")
    expect(details).to_contain_text("1 constatação registada ·")


def test_the_actions_of_a_sent_checklist_do_not_touch(pages, field):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    fill_checklist(page, str(field.revealed.uuid), VENUE, QUIET_VENUE)
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)
    page.locator("#outbox-list a").click()
    correct = page.locator("#correct")
    back = page.locator("#back")  # the one beside Correct (the other ends the read-back)
    expect(correct).to_be_visible()
    expect(back).to_be_visible()
    a, b = correct.bounding_box(), back.bounding_box()
    apart_across = b["x"] - (a["x"] + a["width"]) if b["y"] < a["y"] + a["height"] else 0
    apart_down = b["y"] - (a["y"] + a["height"])
    assert max(apart_across, apart_down) >= 6, (a, b)


def test_the_note_after_finishing_follows_the_checklist_once_sent(pages, field):
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    fill_checklist(page, str(field.revealed.uuid), VENUE, QUIET_VENUE)
    note = page.locator("#main .notice")
    # Online, it is sent as soon as it is finished: the note says so, not "when the network allows".
    expect(note).to_have_text("Finished and sent.")
    expect(page.locator("#outbox-list [data-status='complete']")).to_be_visible()
    expect(page.locator("#main")).not_to_contain_text("when the network allows")

    # Offline, the note says it waits; once the network is back and it is sent, the note goes.
    wait_offline_ready(page)
    page.context.set_offline(True)
    fill_checklist(page, str(field.revealed.uuid), SCREENING, {"screened_count": 1, "persons": 1})
    expect(note).to_have_text("Finished. It is sent when the network allows.")
    go_online(page)
    page.wait_for_function(
        "() => document.querySelectorAll('#outbox-list [data-status=\"complete\"]').length === 2"
    )
    expect(page.locator("#main")).not_to_contain_text("when the network allows")


def sync_now(page) -> None:
    synced = page.evaluate("document.body.dataset.synced")
    page.locator("#sync").click()
    page.wait_for_function("(before) => document.body.dataset.synced !== before", arg=synced)


def test_a_checklist_a_teammate_sent_is_not_offered_to_start_again(pages, field, dora, phone):
    """Alice and Dora are one team: once Dora's phone has sent the venue checklist, Alice's phone
    says so after its sync, naming Dora as a teammate knows her (two officers of two agencies may
    share a name), and offers no second start of it; the visit's other checklist is still hers."""
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    visit = str(field.revealed.uuid)
    # Alice has begun the screening on her phone.
    open_assignment(page, visit)
    page.locator(f"button[data-template='{SCREENING}']").click()
    page.locator("#finish").wait_for()

    doras = phone(dora)

    def dora_sends(version) -> None:
        payload = submission_payload(field.revealed, version)
        response = doras.post("/api/mobile/v1/submissions/", payload, format="json")
        assert response.status_code == 201, response.content

    dora_sends(field.venue_version)
    page.goto(pages.base_url + "/field/#/")
    sync_now(page)
    card = page.locator(f"#assignments .assignment[data-id='{visit}']")
    who = f"Dora Police (PSP, badge {dora.badge_number})"
    expect(card.locator(".sent-by")).to_have_text(f"Sent by {who}")
    expect(card.locator(".visit-state .badge")).to_have_attribute("data-state", "draft")  # Alice's own

    card.locator("h4 a").click()
    venue = page.locator(f"#checklists [data-sent-elsewhere='{VENUE}']")
    expect(venue).to_contain_text(f"Venue inspection – prostitution and trafficking was sent by {who}, ")
    expect(venue).to_contain_text("Nothing to start again here")
    expect(venue.locator(".badge[data-state='sent']")).to_be_visible()
    expect(page.locator(f"#checklists button[data-template='{VENUE}']")).to_have_count(0)
    expect(page.locator(f"#checklists button[data-template='{SCREENING}']")).to_have_text(
        "Continue ILO forced-labour indicator screening (per person)"
    )
    expect(page.locator(f"#checklists [data-sent-elsewhere='{SCREENING}']")).to_have_count(0)
    axe_check(page)
    assert small_touch_targets(page) == []

    # In the officer's language (chosen on the home screen).
    page.goto(pages.base_url + "/field/#/")
    page.locator("#language").select_option("pt")
    expect(card.locator(".sent-by")).to_have_text(f"Enviada por Dora Police (PSP, n.º {dora.badge_number})")
    page.locator("#language").select_option("zh-hant")
    # No space between a full-width bracket and a Chinese word (i18n.js's tightening, as the console's).
    expect(card.locator(".sent-by")).to_have_text(f"由 Dora Police（PSP，職員編號 {dora.badge_number}）傳送")
    card.locator("h4 a").click()
    expect(venue).to_contain_text(f"已由 Dora Police（PSP，職員編號 {dora.badge_number}）於 ")
    expect(venue).to_contain_text("此處無須重新開始")

    # Dora sends the screening too: Alice's draft of it stays hers to continue or discard, and
    # says the checklist has been sent.
    dora_sends(field.screening_version)
    page.goto(pages.base_url + "/field/#/")
    page.locator("#language").select_option("en")
    sync_now(page)
    card.locator("h4 a").click()
    screening = page.locator(f"#checklists [data-sent-elsewhere='{SCREENING}']")
    expect(screening).to_contain_text(f"was sent by {who}")
    expect(screening.locator(f"button[data-template='{SCREENING}']")).to_be_visible()
    assert Submission.objects.count() == 2


def test_a_screening_a_teammate_sent_can_still_be_started(pages, field, dora, phone):
    """The ILO screening is filled once per person or group interviewed ("several per visit"):
    Dora's screening does not stand in for Alice's, so Alice's phone says Dora sent one and still
    offers hers to start; the venue checklist, one per visit, is not offered again. The server
    stores both screenings."""
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    visit = str(field.revealed.uuid)
    doras = phone(dora)
    for version in (field.venue_version, field.screening_version):
        response = doras.post(
            "/api/mobile/v1/submissions/", submission_payload(field.revealed, version), format="json"
        )
        assert response.status_code == 201, response.content
    sync_now(page)
    open_assignment(page, visit)
    who = f"Dora Police (PSP, badge {dora.badge_number})"
    screening = page.locator(f"#checklists [data-sent-elsewhere='{SCREENING}']")
    expect(screening).to_contain_text(f"was sent by {who}")
    start = screening.locator(f"button[data-template='{SCREENING}']")
    expect(start).to_have_text("Start ILO forced-labour indicator screening (per person)")
    expect(page.locator(f"#checklists button[data-template='{VENUE}']")).to_have_count(0)
    start.click()
    page.locator("#finish").wait_for()
    assert [w["status"] for w in work_items(page)] == ["draft"]
    axe_check(page)


def test_an_officer_screens_a_second_person_after_sending_the_first_screening(pages, field):
    """The ILO screening is filled once per person or group interviewed: once the officer's first
    is sent, the visit opens it and still offers to start another for the next person (the venue
    checklist, once per visit, is only opened). Both are stored."""
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    visit = str(field.revealed.uuid)
    fill_checklist(page, visit, SCREENING, {"screened_count": 1, "persons": 1})
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 1)

    open_assignment(page, visit)
    expect(page.locator(f"#checklists [data-finished='{SCREENING}']")).to_contain_text("was sent")
    start = page.locator(f"#checklists button[data-template='{SCREENING}']")
    expect(start).to_have_text("Start ILO forced-labour indicator screening (per person)")
    assert small_touch_targets(page) == []
    start.click()
    answer_everything(page, {"screened_count": 1, "persons": 1})
    page.locator("#finish").click()
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "complete", 2)
    assert Submission.objects.filter(template_version=field.screening_version).count() == 2

    # The venue checklist, once sent, is opened and never started again.
    fill_checklist(page, visit, VENUE, QUIET_VENUE)
    expect(page.locator(f"#checklists [data-finished='{VENUE}']")).to_be_visible()
    expect(page.locator(f"#checklists button[data-template='{VENUE}']")).to_have_count(0)
