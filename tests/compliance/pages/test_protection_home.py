"""Victim protection's home page says that referrals are waiting (new, not yet acknowledged),
the immediate ones called out first, each count a link to the list filtered to them; never a
person's detail, a place or a referral's id. Nobody else's home page shows them."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.translation import ngettext
from playwright.sync_api import expect

from backend.compliance import services
from backend.compliance.models import Referral
from tests.browser_support import PHONE, axe_check, sign_in
from tests.compliance.pages.conftest import signed_in

PASSWORD = "correct-horse-battery"
IMMEDIATE = "/protection/?status=new&amp;urgency=immediate"
WAITING = "/protection/?status=new"


@pytest.fixture
def two_referrals(joint, alice):
    """An immediate referral (a minor) and a same-day one (an adult with one signal)."""
    joint.submit_screening(alice)
    flags = {f"fl_{i:02d}": False for i in range(1, 12)}
    joint.submit_screening(alice, person_ref="P-2 blue cap", age_band="26_40", **{**flags, "fl_07": True})
    return {r.urgency: r for r in Referral.objects.all()}


def protection_section(page: str) -> str:
    return page.split('class="card role-victim_protection"')[1].split("</section>")[0]


def links(section: str) -> dict[str, str]:
    return {
        href: re.sub(r"\s+", " ", text).strip()
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', section, re.S)
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_the_home_page_says_referrals_are_waiting(two_referrals, vera, client, language):
    signed_in(client, vera)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    section = protection_section(client.get("/").content.decode())
    with translation.override(language):
        immediate = ngettext("%(n)s immediate referral waiting", "%(n)s immediate referrals waiting", 1) % {
            "n": 1
        }
        # With the immediate one above, the count of all says it includes it (it read as two).
        waiting = ngettext("%(n)s new referral waiting in all", "%(n)s new referrals waiting in all", 2) % {
            "n": 2
        }
    assert {"en": "2 new referrals waiting in all", "pt": "2 encaminhamentos novos à espera no total"}.get(
        language, waiting
    ) == waiting
    if language != "en":  # told in the reader's language
        assert immediate != "1 immediate referral waiting" and waiting != "2 new referrals waiting in all"
    shown = links(section)
    assert shown[IMMEDIATE] == immediate and shown[WAITING] == waiting, shown
    assert section.index(IMMEDIATE) < section.index(WAITING + '"')  # the immediate one first
    # Nothing about the persons, the places or which referrals they are.
    for referral in two_referrals.values():
        assert referral.short_ref not in section and str(referral.uuid)[:8] not in section
    assert "P-1 red jacket" not in section and "P-2 blue cap" not in section and "Cotai" not in section


@pytest.mark.django_db
def test_the_counts_follow_the_referrals(two_referrals, vera, client):
    signed_in(client, vera)
    services.referral_update(user=vera.user, referral=two_referrals["immediate"], status="acknowledged")
    section = protection_section(client.get("/").content.decode())
    assert IMMEDIATE not in section and links(section)[WAITING] == "1 new referral waiting"
    services.referral_update(user=vera.user, referral=two_referrals["same_day"], status="acknowledged")
    section = protection_section(client.get("/").content.decode())
    assert WAITING not in section and "No new referral waiting." in section
    # The immediate list the link opens holds the immediate referral alone.
    services_page = client.get("/protection/?status=acknowledged&urgency=immediate").content.decode()
    assert two_referrals["immediate"].short_ref in services_page
    assert two_referrals["same_day"].short_ref not in services_page


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["percy", "carol", "paula", "andy", "tina"])
def test_nobody_else_sees_the_counts(persona, two_referrals, client, request):
    """Percy (PSP) referred both persons and sees them, coded, through the API; his home page
    does not count them, nor do the others'."""
    signed_in(client, request.getfixturevalue(persona))
    home = client.get("/").content.decode()
    assert "/protection/" not in home and "role-victim_protection" not in home
    assert "referral waiting" not in home and "referrals waiting" not in home


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_immediate_referral_is_a_tap_from_home(pages, two_referrals, vera):
    page = pages.new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    sign_in(page, pages.base_url, "vera", PASSWORD)
    page.goto(f"{pages.base_url}/")
    link = page.get_by_role("link", name="1 immediate referral waiting")
    box = link.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 24, box
    axe_check(page)
    pages.shot(page, "protection-home")
    link.tap()
    page.wait_for_url("**/protection/?status=new&urgency=immediate")
    expect(page.locator("#referrals tbody a.open")).to_have_text([two_referrals["immediate"].short_ref])
