"""The admin in a real browser: its pages raise no console error and name an icon that answers
(a browser asked /favicon.ico of each, a 404; headless Chromium asks for no icon by itself, so the
test asks for both), and an administrator deactivates two leavers at once from the officers list,
through the page that names them first."""

from __future__ import annotations

import pytest

from backend.registry.models import Officer
from tests import factories
from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_the_admin_pages_and_a_bulk_deactivation(pages):
    factories.officer("PSP", username="adele", roles=("administrator",), full_name="Adele Admin")
    tom = factories.officer("PSP", username="tom", full_name="Tom Leaver")
    uma = factories.officer("PSP", username="uma", full_name="Uma Leaver")
    page = pages.new_page()
    sign_in(page, pages.base_url, "adele", PASSWORD, next_path="/admin/")
    for path in ("/admin/", "/admin/auth/user/", f"/admin/auth/user/{tom.user_id}/change/"):
        page.goto(pages.base_url + path)
        page.wait_for_load_state("load")
    href = page.locator("link[rel='icon']").get_attribute("href")
    assert href == "/static/console/favicon.ico"
    assert page.request.get(pages.base_url + href).status == 200
    assert page.request.get(pages.base_url + "/favicon.ico").status == 200  # after its redirect

    page.goto(pages.base_url + "/admin/registry/officer/")
    for officer in (tom, uma):
        page.locator(f"input.action-select[value='{officer.pk}']").check()
    page.locator("select[name='action']").select_option("deactivate_selected")
    page.locator("button[name='index']").click()
    page.wait_for_load_state()
    assert page.locator("#leavers li").count() == 2
    pages.shot(page, "deactivate-confirmation")
    page.get_by_role("button", name="Yes, deactivate").click()
    page.wait_for_load_state()
    assert "2 officers deactivated" in page.locator("ul.messagelist").inner_text()
    assert not Officer.objects.filter(pk__in=[tom.pk, uma.pk], is_active=True).exists()
    assert Officer.objects.get(user__username="adele").is_active
    pages.shot(page, "deactivated")
