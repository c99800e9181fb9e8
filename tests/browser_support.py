"""Browser tests: Playwright for Python on Debian's Chromium, against a server the test starts.

Every page a test opens is watched: a console error, an uncaught exception, a request to any
host but the test server (map tiles included) fails the test, and a screenshot of each page is
kept under ``var/screenshots/`` as an artefact. Sign-in goes through the real sign-in page with
a real TOTP code computed as an authenticator app would (``sign_in``), never a session made by hand.

Without Chromium (``apt-get install chromium``) these tests are skipped, saying why; ``.ci/run``
installs it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    skip = pytest.mark.skip(
        reason="Chromium is not installed (Debian: apt-get install chromium); .ci/run installs it"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium_browser():
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do: CI runs its two database passes side by side on two
    # cores, where a page's asynchronous work (a canvas encoded, IndexedDB written) has been seen
    # to take more than expect()'s default of 5 s. A slow page still passes; a wrong one still
    # fails, only later.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class WatchedPages:
    """Opens pages on the test server and records what must never happen on them."""

    def __init__(self, browser, base_url: str, name: str):
        self.browser = browser
        self.base_url = base_url
        self.name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:120]
        self.problems: list[str] = []
        self.contexts = []
        self.pages = []

    def new_page(self, *, viewport=DESKTOP, locale: str = "en", **context_args):
        context = self.browser.new_context(viewport=viewport, locale=locale, **context_args)
        self.contexts.append(context)
        page = context.new_page()
        # Watched, not intercepted: a route on every request sent each one, every stylesheet,
        # script and font, through this process and back, a quarter of a sign-in's time. A page
        # that asks an outside host fails its test all the same (and this machine reaches none).
        page.on("request", self._request)
        page.set_default_timeout(15_000)
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        self.pages.append(page)
        return page

    def _request(self, request):
        url = request.url
        if not (url.startswith(self.base_url) or url.startswith(("data:", "blob:"))):
            self.problems.append(f"request to an outside host: {url}")

    def _console(self, page, message):
        if message.type == "error":
            where = (message.location or {}).get("url") or ""
            self.problems.append(
                f"console error on {page.url}: {message.text}" + (f" ({where})" if where else "")
            )

    def shot(self, page, label: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.name}--{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def close(self, *, shots: bool = True):
        for index, page in enumerate(self.pages):
            if shots and not page.is_closed():
                # A page that cannot be drawn any more needs no artefact.
                with contextlib.suppress(Exception):
                    self.shot(page, f"final-{index}")
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(chromium_browser, live_server, request):
    """``pages.new_page()`` opens a watched page; ``pages.base_url`` is the test server."""
    watched = WatchedPages(chromium_browser, live_server.url, request.node.nodeid)
    yield watched
    # Each page's last state is drawn for a test that failed, to see why (var/screenshots);
    # for one that passed only when BROWSER_FINAL_SHOTS=1: a whole-page screenshot costs Chromium
    # a fraction of a second to a second, and CI took hundreds nobody looked at.
    report = getattr(request.node, "report_call", None)
    failed = report is None or report.failed or bool(watched.problems)
    watched.close(shots=failed or os.environ.get("BROWSER_FINAL_SHOTS") == "1")
    assert not watched.problems, "\n".join(watched.problems)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep the call phase's report on the item, for ``pages`` to know whether its test failed."""
    report = yield
    if report.when == "call":
        item.report_call = report
    return report


def totp_code(bin_key: bytes, *, after_t: int = -1) -> str:
    """The code an authenticator app shows now (or at the next step, if this one was used)."""
    from django_otp.oath import TOTP

    totp = TOTP(bin_key, step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    while totp.t() <= after_t:
        totp.time += 30
    return f"{totp.token():06d}"


def sign_in(page, base_url: str, username: str, password: str, *, next_path: str = "") -> None:
    """Sign in through the console's sign-in page, as a user does; the second factor too: an
    officer without an authenticator enrols one from the key the page shows."""
    import base64

    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto(f"{base_url}/sign-in/" + (f"?next={next_path}" if next_path else ""))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("main form button.primary").click()
    if "/sign-in/code/" not in page.url:
        return
    secret = page.locator("#totp-secret")
    if secret.count():
        key = secret.inner_text().replace(" ", "")
        key_bytes = base64.b32decode(key + "=" * (-len(key) % 8))
        code = totp_code(key_bytes)
    else:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        code = totp_code(device.bin_key, after_t=device.last_t)
    page.locator("#id_token").fill(code)
    with page.expect_navigation():
        page.locator("main form button.primary").click()
    assert "/sign-in/" not in page.url, f"sign-in of {username} did not complete: {page.url}"


def sign_in_client(client, username: str, password: str) -> None:
    """Sign a Django test client in through the console's sign-in page, second factor included
    (for HTTP-level page tests; browser tests use ``sign_in``)."""
    import base64

    from django_otp.plugins.otp_totp.models import TOTPDevice

    response = client.post("/sign-in/", {"username": username, "password": password})
    assert response.status_code == 302, f"sign-in of {username} refused"
    if not response["Location"].startswith("/sign-in/code/"):
        return
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        page = client.get("/sign-in/code/").content.decode()
        key = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
        code = totp_code(base64.b32decode(key + "=" * (-len(key) % 8)))
    else:
        code = totp_code(device.bin_key, after_t=device.last_t)
    done = client.post("/sign-in/code/", {"token": code})
    assert done.status_code == 302 and not done["Location"].startswith("/sign-in/"), done


_STYLESHEET_IMPORTS = """() => [...document.styleSheets].some((sheet) => {
    try { return [...sheet.cssRules].some((rule) => rule instanceof CSSImportRule); }
    catch (error) { return false; }
})"""


# What axe tags as a failure of a WCAG 2.0, 2.1 or 2.2 success criterion at level A or AA fails the
# page whatever impact axe gives it (a "moderate" one is still a failure of the standard); axe's
# best practices beyond WCAG fail it when serious or critical.
WCAG_AA_TAGS = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"}


def axe_check(page, *, exclude: list[str] | None = None) -> None:
    """No violation of WCAG 2.2 A or AA on the page, and no serious or critical one of axe's best
    practices (axe-core)."""
    from axe_playwright_python.sync_playwright import Axe

    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    # axe copies a stylesheet that @imports another into a <style> element of its own (its CSSOM
    # preload), which the Content Security Policy refuses: axe itself logged a console error on
    # every page with such a sheet (the admin's forms, whose forms.css imports widgets.css). There
    # it runs without the preload, which only css-orientation-lock needs.
    imports = page.evaluate(_STYLESHEET_IMPORTS)
    options = {"resultTypes": ["violations"], **({"preload": False} if imports else {})}
    results = Axe().run(page, context=context, options=options)
    bad = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in violation["nodes"][:5]
        )
        for violation in results.response["violations"]
        if violation.get("impact") in ("serious", "critical") or WCAG_AA_TAGS & set(violation.get("tags", ()))
    ]
    assert not bad, f"axe on {page.url}:\n" + "\n".join(bad)


# A table whose rows become cards on a phone (table.cards): for each row, each cell with its
# column's header, its data-label, the label drawn before it, whether it is shown, its box, and
# whether the table's box scrolls sideways.
_CARD_CELLS = """(selector) => {
  const table = document.querySelector(selector);
  const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
  return [...table.tBodies[0].rows].map((tr) => [...tr.cells].map((td, i) => {
    const box = td.getBoundingClientRect();
    const label = getComputedStyle(td, '::before');
    const wrap = td.closest('.table-wrap');
    return {
      header: headers[i], dataLabel: td.dataset.label, text: td.textContent.trim(),
      before: label.content, beforeDisplay: label.display, shown: td.checkVisibility(),
      left: box.left, right: box.right, scrolls: wrap.scrollWidth > wrap.clientWidth,
      badges: [...td.querySelectorAll('.badge')].map((b) => {
        const r = b.getBoundingClientRect();
        return {left: r.left, right: r.right, scrollWidth: b.scrollWidth, clientWidth: b.clientWidth};
      }),
    };
  }));
}"""


def card_rows(page, selector: str) -> list[list[dict]]:
    """The rows of the card table ``selector``, each a list of its cells, checked as cards on the
    phone: none scrolls sideways in its box, each is shown within the screen under its column's
    name (data-label equal to the column's header, drawn before the value), and each badge is whole
    inside the card."""
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    width = page.evaluate("document.documentElement.clientWidth")
    rows = page.evaluate(_CARD_CELLS, selector)
    for cells in rows:
        for cell in cells:
            assert not cell["scrolls"], cell  # no sideways scroll inside the table's box
            assert cell["shown"] and cell["left"] >= 0 and cell["right"] <= width, cell
            assert cell["header"] == cell["dataLabel"], cell
            assert cell["beforeDisplay"] != "none" and cell["dataLabel"] in cell["before"], cell
            for badge in cell["badges"]:
                assert badge["left"] >= 0 and badge["right"] <= width, badge
                assert badge["scrollWidth"] <= badge["clientWidth"], badge
    return rows
