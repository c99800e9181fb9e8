"""The main admins' add and change pages, as an administrator opens them in a real browser: no
console error (the Content Security Policy refuses inline styles and scripts) while the admin's
scripts are used, and no serious or critical axe finding, in English and Portuguese, on a desktop
and a phone. Found on the administrator's path: the officer's roles and a site's opening hours
(tabular inlines) and a date-time field's boxes had no label, the search-as-you-type pickers
(select2) no name, SelectFilter2's search icons ARIA a span may not carry, the breadcrumbs and a
read-only field's links were told apart by colour alone, and a picker's highlighted result was
white on light blue. A picker is opened too, as its results are drawn only then."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.inspections import services as inspections
from tests import factories
from tests.browser_support import DESKTOP, PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _world():
    adele = factories.officer("PSP", username="adele", roles=("administrator",), full_name="Adele Admin")
    tom = factories.officer("PSP", username="tom", full_name="Tom Inspector")
    site = factories.site(name_en="Karaoke Lua")
    operation = inspections.operation_create(
        actor=adele.user,
        name="Night of the lanterns",
        lead_agency=adele.agency,
        starts_at=dt.datetime(2027, 1, 8, 21, tzinfo=dt.UTC),
        ends_at=dt.datetime(2027, 1, 9, 2, tzinfo=dt.UTC),
        reveal_at=dt.datetime(2027, 1, 8, 19, tzinfo=dt.UTC),
        agencies=[factories.agency("DSAL")],
    )
    return {
        "registry/officer": tom.pk,
        "auth/user": tom.user_id,
        "registry/unit": tom.unit_id,
        "registry/agency": tom.agency_id,
        "registry/site": site.pk,
        "inspections/operation": operation.pk,
    }


def _axe(page, when: str = "") -> list[str]:
    try:
        axe_check(page)
    except AssertionError as finding:
        return [f"{when}{finding}"]
    return []


def _page_problems(page, url: str) -> list[str]:
    """axe's findings on the page, then with a search-as-you-type picker open; the admin's scripts
    are used on the way (a picker, a calendar and a clock, a row added to an inline), so that any
    inline style they set is refused and logged as the console error the test fails on."""
    page.goto(url)
    page.wait_for_load_state("load")
    problems = _axe(page)
    pickers = page.locator(".select2-selection--single")
    if pickers.count():
        # Its results are drawn once it is opened: its search box and list are checked too.
        pickers.first.click()
        page.locator(".select2-search__field").wait_for()
        page.locator(".select2-results__option").first.wait_for()
        problems += _axe(page, "(a picker open) ")
        page.keyboard.press("Escape")
    for link, box in (("calendarlink", ".calendarbox"), ("clocklink", ".clockbox")):
        shortcut = page.locator(f".datetimeshortcuts a[id^={link}]:visible")
        if shortcut.count():
            shortcut.first.click()
            page.locator(f"{box} .calendar-cancel a:visible").click()
    add_row = page.locator(".add-row a")
    if add_row.count():
        add_row.first.click()
        problems += _axe(page, "(an inline row added) ")
    return problems


# Each language once and each width once (English on a desktop, Portuguese's longer words on a
# phone), not the four pairings, which took 40-60 s each of CI's time.
@pytest.mark.parametrize(
    ("language", "viewport"), [("en", DESKTOP), ("pt", PHONE)], ids=["en-desktop", "pt-phone"]
)
def test_the_main_admins_forms_pass_axe_with_no_console_error(pages, language, viewport):
    objects = _world()
    page = pages.new_page(viewport=viewport, locale=language)
    sign_in(page, pages.base_url, "adele", PASSWORD, next_path="/admin/")
    assert page.locator("html").get_attribute("lang") == language
    problems = []
    for model, pk in objects.items():
        # Agencies are added by a login with no officer record alone: adele reads them.
        adds = () if model == "registry/agency" else (f"/admin/{model}/add/",)
        for path in (*adds, f"/admin/{model}/{pk}/change/"):
            problems += _page_problems(page, pages.base_url + path)
    # The retention policy has one row: its add page while there is none, then it is saved from
    # there and changed.
    problems += _page_problems(page, pages.base_url + "/admin/privacy/retentionpolicy/add/")
    page.locator("#id_screening_unflagged_days").fill("30")
    page.locator("#id_closed_referral_days").fill("365")
    with page.expect_navigation():
        page.locator("input[name='_continue']").click()
    assert "/change/" in page.url, page.url
    problems += _page_problems(page, page.url)
    assert not pages.problems and not problems, "\n".join(pages.problems + problems)


def test_the_main_admins_lists_on_a_phone_scroll_their_table_not_the_page(pages):
    objects = _world()
    page = pages.new_page(viewport=PHONE)
    sign_in(page, pages.base_url, "adele", PASSWORD, next_path="/admin/")
    problems = []
    for model in objects:
        page.goto(f"{pages.base_url}/admin/{model}/")
        widths = page.evaluate(
            """() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,
                      getComputedStyle(document.querySelector('#changelist-form .results')).overflowX]"""
        )
        assert widths[0] <= widths[1] and widths[2] == "auto", (model, widths)
        problems += _axe(page)  # scrollable-region-focusable: the table's links and boxes take focus
    assert not problems, "\n".join(problems)
