"""Tonight's visits first: the phone keeps the team's earlier nights (sent, reviewed, closed) and
listed them oldest first, so a team leader who led last night's team opened the app at the start
of tonight on "Night of Sat 5 Dec", yesterday's visits and yesterday's route drawn as the main one,
tonight's below them in the other colour. Now tonight and the nights ahead come first, in order,
then the nights gone by, the latest first; each night keeps its heading, numbering and route."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from backend.inspections import services as inspections
from backend.inspections.models import Operation
from tests import factories
from tests.browser_support import axe_check
from tests.mobile_api.field.phone import PHONE_390, open_phone, sign_in_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def last_night(field, alice):
    """Yesterday night's operation (a day before tonight's visit): one visit for Alice's team."""
    tonight = field.revealed.planned_start
    operation = inspections.operation_create(
        actor=None,
        name="Thunderbolt night 0",
        lead_agency=alice.agency,
        reveal_at=timezone.now() - dt.timedelta(days=2),
        starts_at=tonight - dt.timedelta(hours=25),
        ends_at=tonight - dt.timedelta(hours=18),
        status=Operation.Status.PUBLISHED,
    )
    team = inspections.team_create(actor=None, name="Night 0", members=[alice], operation=operation)
    start = tonight - dt.timedelta(hours=24)
    return inspections.inspection_issue(
        actor=None,
        site=factories.site(name_en="Pearl Sauna", venue_type="sauna", latitude=22.19, longitude=113.56),
        category="prostitution_trafficking",
        template_version=field.venue_version,
        planned_start=start,
        planned_end=start + dt.timedelta(hours=1),
        team=team,
        operation=operation,
        route_order=1,
    )


@pytest.mark.parametrize("viewport", [PHONE_390, None], ids=["390", "360"])
def test_tonight_is_listed_and_drawn_before_last_night(pages, field, second_visit, last_night, viewport):
    page = open_phone(pages, **({"viewport": viewport} if viewport else {}))
    sign_in_app(page, pages.base_url, "alice")

    nights = page.locator("#assignments section.night")
    expect(nights).to_have_count(2)
    tonight, yesterday = nights.nth(0), nights.nth(1)
    expect(tonight.locator(".assignment h4")).to_have_text(
        ["1. Golden Lotus Karaoke", "2. Silver Moon Massage"]
    )
    expect(yesterday.locator(".assignment h4")).to_have_text(["1. Pearl Sauna"])
    # Tonight's route is the map's first (solid) one; last night's stop the other colour.
    markers = page.locator("#route-map .stop-marker")
    expect(markers).to_have_count(3)
    drawn = markers.evaluate_all("els => els.map(e => [e.dataset.night, e.className])")
    key = tonight.get_attribute("data-night")
    assert [night for night, _ in drawn] == [key, key, yesterday.get_attribute("data-night")], drawn
    assert all("night-0" in cls for night, cls in drawn if night == key), drawn
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page)
    for language, word in (("pt", "Noite de"), ("zh-hant", "晚")):
        page.locator("#language").select_option(language)
        expect(tonight.locator("h3")).to_contain_text(word)
        expect(nights.nth(0).locator(".assignment h4").first).to_contain_text("1. ")
        expect(nights.nth(1).locator(".assignment")).to_have_count(1)
