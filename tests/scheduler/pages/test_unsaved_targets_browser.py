"""Sites ticked as targets but not saved are not lost without a word. A planner (in Chinese) ticked
sites in the list and on the map, then used "Add the selection": the page reloaded with the
selection's targets and without the ticked sites, saying nothing; "Plan" planned the targets as
saved, leaving the ticked ones out (a helper's walk of the planner's path). Until the targets are
saved, leaving the page asks first (the browser's own question), and Plan asks whether to plan
without the changes. Saving them leaves freely."""

from __future__ import annotations

import pytest

from scheduler.models import PlanningJob, Target
from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_ticked_sites_not_saved_are_not_lost_leaving_the_page_or_planning(pages, operation, city):
    site = city["venues"][2]  # not a target yet: a row of the other sites
    page = pages.new_page(viewport={"width": 768, "height": 1024}, locale="zh-TW")
    sign_in(page, pages.base_url, "paula", PASSWORD)
    page.locator('button[name="language"][value="zh-hant"]').click()
    page.wait_for_load_state()
    page.goto(f"{pages.base_url}/planning/operations/{operation.uuid}/")
    page.locator("#targets-map[data-ready]").wait_for()
    asked = []

    def answer(dialog):
        asked.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.on("dialog", answer)

    # Saved targets only: the planner leaves freely.
    assert page.locator("#targets-tally").inner_text() == ""
    page.locator(f"#site-{site.uuid}").check()
    # The count of ticked sites follows the ticks (the operation's two targets and this one).
    assert page.locator("#targets-tally").inner_text() == "已勾選 3 個地點：請儲存，使勾選的地點成為目標。"

    # Another form of the page would reload it: the browser asks first, and "stay" keeps the tick.
    page.get_by_role("button", name="加入所選").click()
    page.wait_for_timeout(500)
    assert [kind for kind, _message in asked] == ["beforeunload"]
    assert page.url.endswith(f"/operations/{operation.uuid}/")
    assert page.locator(f"#site-{site.uuid}").is_checked()

    # Plan says the planner plans the saved targets, and planning waits for an answer.
    page.locator("#planning").get_by_role("button", name="規劃").click()
    page.wait_for_timeout(500)
    assert asked[-1][0] == "confirm" and "未儲存" in asked[-1][1], asked
    assert not PlanningJob.objects.filter(operation=operation).exists()

    # Saved, the targets leave the page without a question.
    page.get_by_role("button", name="儲存目標").click()
    page.wait_for_url("**#targets")
    assert Target.objects.filter(operation=operation, site=site).exists()
    before = len(asked)
    page.get_by_role("link", name="編輯行動").click()
    page.wait_for_url("**/edit/")
    assert len(asked) == before
