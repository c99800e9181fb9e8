"""A team leader is told the console is theirs, and what they do there. The sign-in page named
planners, reviewers, victim protection, analysts and administrators and sent "field officers" to
the field app, so a team leader, who leads a team in the field, read that the console was not for
them (data-protection officers were left out too). Their home page said they "follow" their
teams' submissions and return them, and then the submission offered Approve: they decide their
agency's findings of their teams' work as a reviewer does."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser_support import DESKTOP, PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

SIGN_IN_NAMES = {
    "en": ("team leaders", "data-protection officers"),
    "zh-hant": ("小組組長", "資料保護主任"),
    "pt": ("chefes de equipa", "encarregados da protecção de dados"),
}
HOME_APPROVES = {
    "en": "approve the findings",
    "zh-hant": "批准本部門負責的發現",
    "pt": "aprovar as constatações",
}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_sign_in_page_and_home_tell_a_team_leader_what_is_theirs(pages, viewport):
    factories.officer("PSP", username="tina", full_name="Tina Leader", roles=("team_leader",), sex="F")
    page = pages.new_page(viewport=viewport)
    for language in ("zh-hant", "pt", "en"):
        page.goto(pages.base_url + "/sign-in/")
        page.locator(f'button[name="language"][value="{language}"]').click()
        page.wait_for_load_state()
        intro = page.locator("main p").first.inner_text()
        assert all(name in intro for name in SIGN_IN_NAMES[language]), intro
    axe_check(page)

    sign_in(page, pages.base_url, "tina", PASSWORD)
    for language in ("zh-hant", "pt", "en"):
        page.locator(f'button[name="language"][value="{language}"]').click()
        page.wait_for_load_state()
        section = page.locator("section.role-team_leader").inner_text()
        assert HOME_APPROVES[language] in section, section
    axe_check(page)
    pages.shot(page, "team-leader-home")
