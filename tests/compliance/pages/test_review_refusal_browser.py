"""A reviewer's choices survive a refused approval, in a real browser: an approval refused for
want of a comment keeps the findings the reviewer marked Reject (they came back as Accept, so
adding the comment and approving again made them official)."""

from __future__ import annotations

import pytest

from backend.inspections.models import Finding
from tests.browser_support import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_a_refused_approval_keeps_the_findings_marked_reject(pages, visit, carol):
    held = next(f for f in visit.dsal_findings() if f.violation_code == "V-12")
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/review/{visit.submission.uuid}/")
    reject = page.locator(f'input[name="finding-{held.uuid}"][value="reject"]')
    reject.check()
    page.get_by_role("button", name="Approve", exact=True).click()
    page.get_by_text("Say why findings are rejected.").first.wait_for()
    # The refusal is a 400, which the browser logs: expected here, once.
    expected = [p for p in pages.problems if "status of 400" in p and "/approve/" in p]
    assert len(expected) == 1, pages.problems
    pages.problems.remove(expected[0])
    assert reject.is_checked()
    others = [f for f in visit.dsal_findings() if f.pk != held.pk]
    for finding in others:
        assert page.locator(f'input[name="finding-{finding.uuid}"][value="accept"]').is_checked()
    axe_check(page)
    pages.shot(page, "refused-keeps-reject")

    page.get_by_label("Comment").fill("The documents were the worker's own, kept at his request.")
    page.get_by_role("button", name="Approve", exact=True).click()
    page.get_by_text("Approved. The findings you accepted are official.").first.wait_for()
    held.refresh_from_db()
    assert held.status == Finding.Status.REJECTED
    assert {Finding.objects.get(pk=f.pk).status for f in others} == {Finding.Status.OFFICIAL}
