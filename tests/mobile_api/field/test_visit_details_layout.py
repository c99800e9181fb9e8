"""A visit's details on a 360 px phone in Portuguese. The labels' column took the width of the
longest label ("Horário de funcionamento", "Janela horária"), so the values beside it were
squeezed into a column a few letters wide: the address, the opening hours and the team broken
letter by letter down the screen. The labels' column now takes at most half the card."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser_support import axe_check
from tests.mobile_api.field.phone import PHONE_360, open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# A site open Monday evening and late from Tuesday to Sunday: days of the same hours together,
# not seven lines of them (the officer's walk in Portuguese), as the planner's pages say them.
HOURS = {
    "en": "Mon 18:00–23:00; Tue–Sun 20:00–03:00",
    "pt-PT": r"^seg[^ ]* 18:00–23:00; ter[^ ]*–dom[^ ]* 20:00–03:00$",  # "segunda", or "seg."
    "zh-Hant": r"^週一 18:00–23:00；週二至週日 20:00–03:00$",
}


@pytest.mark.parametrize("locale", ["pt-PT", "en", "zh-Hant"])
def test_the_visit_details_read_as_lines_not_letters(pages, field, locale):
    site = field.revealed.site
    site.opening_hours.all().delete()
    site.opening_hours.create(weekday=0, opens=dt.time(18), closes=dt.time(23))
    for day in range(1, 7):
        site.opening_hours.create(weekday=day, opens=dt.time(20), closes=dt.time(3))
    page = open_phone(pages, locale=locale)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    details = page.locator("main dl").first
    details.wait_for()
    widths = details.evaluate(
        """dl => ({
            dl: dl.getBoundingClientRect().width,
            dd: [...dl.querySelectorAll('dd')].map(d => d.getBoundingClientRect().width),
            dt: [...dl.querySelectorAll('dt')].map(d => [d.scrollWidth, d.clientWidth]),
        })"""
    )
    # Each value has at least half the card's width: a word of the address or a day's hours fits.
    assert all(width >= widths["dl"] * 0.45 for width in widths["dd"]), widths
    # And each label still fits its column (wrapped between words, never cut).
    assert all(scroll <= client + 1 for scroll, client in widths["dt"]), widths
    # A day's hours stay on one line: "terça 20:00–" over "04:00, quarta …" read as two times.
    lines = details.evaluate(
        """dl => {
            const texts = [];
            for (const dd of dl.querySelectorAll('dd')) {
                const walk = document.createTreeWalker(dd, NodeFilter.SHOW_TEXT);
                const nodes = [];
                while (walk.nextNode()) nodes.push(walk.currentNode);
                const whole = nodes.map(n => n.data).join('');
                for (const m of whole.matchAll(/\\d\\d:\\d\\d–\\d\\d:\\d\\d/g)) {
                    const at = (offset) => {
                        for (const n of nodes) {
                            if (offset <= n.data.length) return [n, offset];
                            offset -= n.data.length;
                        }
                    };
                    const range = document.createRange();
                    range.setStart(...at(m.index));
                    range.setEnd(...at(m.index + m[0].length));
                    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                    texts.push([m[0], tops.size]);
                }
            }
            return texts;
        }"""
    )
    assert lines and all(count == 1 for _, count in lines), lines
    hours = page.locator("main dt", has_text=re.compile("Opening hours|Horário|營業時間")).locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(hours).to_have_text(re.compile(HOURS[locale]) if locale != "en" else HOURS[locale])
    axe_check(page)

    # With large text (the phone's font size, or a zoom to 150 % and 200 %) the values still read
    # as lines: at 150 % they had a few letters' width beside their labels, and a day's hours ran
    # off the screen, the whole page scrolling sideways. Each goes under its label instead.
    for size in ("150%", "200%"):
        page.evaluate(f"document.documentElement.style.setProperty('font-size', '{size}')")
        after = details.evaluate(
            """dl => ({
                page: document.documentElement.scrollWidth,
                dl: dl.getBoundingClientRect().width,
                dd: [...dl.querySelectorAll('dd')].map(d => d.getBoundingClientRect().width),
            })"""
        )
        assert after["page"] <= PHONE_360["width"], (size, after)
        assert all(width >= after["dl"] * 0.9 for width in after["dd"]), (size, after)


def test_the_visits_waiting_work_has_its_own_heading(pages, field):
    """Under the checklists, the visit's sent and unsent work said only "Nothing waiting.", as if
    of the checklists above it: it has its heading, as on the home screen."""
    page = open_phone(pages)
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    expect(page.locator("h2:has(+ #outbox-list)")).to_have_text("Sent and unsent work")
