"""The administrator's import with the worker stopped, in the browser: the page says that no
worker has taken it, once to a screen reader, and goes on by itself when the worker is back, which
checks the file and applies it once.

Before, the page said "received" (and, applied, "applying" under a spinner) for ever."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone
from playwright.sync_api import expect

from backend.audit.models import AuditEntry
from backend.outbox.models import WAITING_NOTICE_SECONDS, OutboxMessage
from backend.registry.models import Site
from backend.registry_import.models import RegistryImport
from tests import factories
from tests.browser_support import DESKTOP, PHONE, axe_check, sign_in
from tests.outbox.conftest import broker
from tests.registry_import.support import FILES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
WAITING = "No worker has taken this import yet: they are all busy, or stopped."
TO_CHECK = (
    f"{WAITING} The file is kept and checked by itself when one is free or back; you may leave this page."
)
TO_APPLY = (
    f"{WAITING} Nothing is changed until one does: the import is kept and applied by itself when one is "
    "free or back; you may leave this page."
)
# What the page's live region is given to say, each time it is given something.
WATCH = """() => {
  const live = document.getElementById('live');
  window.said = [];
  new MutationObserver(() => { if (live.textContent) window.said.push(live.textContent); })
    .observe(live, {childList: true, characterData: true, subtree: true});
}"""


def _waited(task_name: str) -> None:
    """The task's outbox row was written longer ago than a free worker takes to start it."""
    OutboxMessage.objects.filter(task_name=task_name).update(
        created_at=timezone.now() - dt.timedelta(seconds=WAITING_NOTICE_SECONDS + 5)
    )


def _redrawn(page, times: int = 3) -> None:
    """Waits for the status part to be drawn again ``times`` times."""
    for _ in range(times):
        page.evaluate("() => { window.shownPart = document.getElementById('import-status'); }")
        page.wait_for_function("() => document.getElementById('import-status') !== window.shownPart")


def _says_once(page, words: str) -> None:
    notice = page.locator("#import-waiting")
    expect(notice).to_have_text(words)
    expect(page.locator("#import-status label")).to_have_text("Waiting for a worker…")
    page.wait_for_function("(words) => window.said.includes(words)", arg=words)
    _redrawn(page)  # redrawn every second, still saying it: not announced again
    expect(notice).to_have_text(words)
    assert page.evaluate("window.said") == [words]
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        axe_check(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.set_viewport_size(DESKTOP)


def test_an_import_no_worker_takes_says_so_once_and_goes_on_when_the_worker_is_back(pages, settings):
    settings.GEOCODER = ""
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a broker, and the worker stopped
    factories.officer("PSP", username="ada", roles=("administrator",))
    url = os.environ.get("CELERY_TEST_BROKER_URL", "memory://")
    with broker(url, result_backend="cache+memory://") as app:
        page = pages.new_page()
        sign_in(page, pages.base_url, "ada", PASSWORD)
        page.goto(f"{pages.base_url}/registry/imports/")
        page.get_by_label("What the file holds").select_option("sites")
        page.get_by_label("File (CSV or XLSX)").set_input_files(str(FILES / "sites_bom.csv"))
        page.get_by_role("button", name="Check the file").click()
        expect(page.locator("#import-status .badge")).to_have_text("received")
        page.evaluate(WATCH)
        _redrawn(page, 1)
        expect(page.locator("#import-waiting")).to_have_count(0)  # just uploaded: not yet
        _waited("registry_import.check")
        _says_once(page, TO_CHECK)
        pages.shot(page, "check-waits-for-a-worker")

        # The worker is back: it checks the file, and the page shows the dry run by itself.
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            page.get_by_role("button", name="Apply the import").wait_for(timeout=60_000)
        expect(page.locator("#import-waiting")).to_have_count(0)

        # Applied with the worker stopped again.
        page.get_by_role("button", name="Apply the import").click()
        expect(page.locator("#import-status .badge")).to_have_text("applying")
        page.evaluate(WATCH)
        _waited("registry_import.apply")
        _says_once(page, TO_APPLY)
        assert Site.objects.count() == 0  # nothing changed while it waits
        pages.shot(page, "apply-waits-for-a-worker")

        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            expect(page.locator("#import-status .badge")).to_have_text("applied", timeout=60_000)
    expect(page.locator("#import-waiting")).to_have_count(0)
    assert RegistryImport.objects.get().status == "applied"
    assert Site.objects.filter(external_id__in=["S-001", "S-002", "S-003"]).count() == 3
    assert AuditEntry.objects.filter(verb="registry_import_apply").count() == 1
