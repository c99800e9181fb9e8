"""Driving the field app in Chromium as an officer does: a phone-sized page, the app's own
sign-in screen, and a helper that answers a checklist through its controls."""

from __future__ import annotations

import io
import re
from typing import Any

from tests.conftest import PASSWORD

PHONE_360 = {"width": 360, "height": 740}
PHONE_390 = {"width": 390, "height": 844}


def open_phone(
    pages: Any, *, locale: str = "en", near: tuple[float, float] = (22.2, 113.55), viewport: dict = PHONE_360
) -> Any:
    """A touch phone (360×740 unless said) with its GPS at ``near``."""
    page = pages.new_page(
        viewport=viewport,
        is_mobile=True,
        has_touch=True,
        locale=locale,
        geolocation={"latitude": near[0], "longitude": near[1], "accuracy": 12},
        permissions=["geolocation"],
        service_workers="allow",
    )
    return page


def sign_in_app(page: Any, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Through the app's own sign-in screen (a device token from the API)."""
    page.goto(f"{base_url}/field/")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.locator("form button[type=submit]").click()
    # The first sync is over and its screen drawn: nothing is redrawn under the test's next step.
    page.locator("body[data-signed-in]").wait_for(state="attached")
    page.locator("#sync").wait_for()


def wait_offline_ready(page: Any) -> None:
    """The service worker is active, controls the page and the shell is cached: the app now starts
    offline. (``ready`` resolves while the worker is still activating, before its
    ``clients.claim()``: a page not yet controlled fetches from the network, which fails offline.)"""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", polling=200)
    page.wait_for_function(
        "() => caches.keys().then(k => k.some(n => n.startsWith('field-shell-')))", polling=200
    )


def jpeg(colour: tuple[int, int, int] = (180, 40, 40), size: tuple[int, int] = (2400, 1800)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG", quality=70)
    return out.getvalue()


def _next_question(page: Any, skip: set[str]) -> Any:
    """The first visible, unanswered question that takes an answer (None when there is none)."""
    boxes = page.locator(".q[data-answered='0']:not([hidden])")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if box.get_attribute("data-path") not in skip and box.is_visible():
            return box
    return None


def answer_everything(
    page: Any, answers: dict[str, Any] | None = None, *, photos: int = 1, leave: tuple[str, ...] = ()
) -> None:
    """Answer every visible question through its controls, until none is left unanswered.

    ``answers`` overrides by question key: True/False for yes/no, an option code, a number or a
    text; a repeat group's value is its number of entries. Other questions get a plain answer;
    those whose paths are in ``leave`` are left unanswered.
    """
    answers = answers or {}
    seen: dict[str, int] = {}
    skip: set[str] = set(leave)
    page.locator("#finish").wait_for()
    while True:
        box = _next_question(page, skip)
        if box is None:
            return
        key, kind, path = (
            box.get_attribute("data-key"),
            box.get_attribute("data-type"),
            box.get_attribute("data-path"),
        )
        seen[path] = seen.get(path, 0) + 1
        assert seen[path] < 4, f"could not answer {path} ({kind})"
        wanted = answers.get(key)
        if kind in ("yes_no", "single_choice"):
            radios = box.locator("input[type=radio]")
            if kind == "yes_no":
                radios.nth(0 if wanted in (None, True) else 1).check()
            elif wanted is None:
                radios.nth(0).check()
            else:
                radios.nth(_option_index(box, wanted)).check()
        elif kind == "multiple_choice":
            box.locator("input[type=checkbox]").nth(0).check()
        elif kind in ("integer", "decimal"):
            box.locator("input").fill(str(wanted if wanted is not None else 1))
        elif kind == "text":
            box.locator("input, textarea").first.fill(str(wanted if wanted is not None else f"{key} noted"))
        elif kind == "date":
            box.locator("input").fill("2026-12-03")
        elif kind == "time":
            box.locator("input").fill("21:30")
        elif kind == "gps":
            box.locator("button").click()
            page.wait_for_function(
                f"() => document.querySelector('.q[data-path=\"{path}\"]').dataset.answered === '1'"
            )
        elif kind == "photo":
            box.locator("input[type=file]").set_input_files(
                [
                    {"name": f"photo{i}.jpg", "mimeType": "image/jpeg", "buffer": jpeg((40 * i, 90, 120))}
                    for i in range(photos)
                ]
            )
            page.wait_for_function(
                f"() => document.querySelector('.q[data-path=\"{path}\"]').dataset.answered === '1'"
            )
        elif kind == "signature":
            sign(page, box)
        elif kind == "repeat":
            if wanted == 0:
                skip.add(path)  # left empty on purpose
            for _ in range(1 if wanted is None else int(wanted)):
                page.locator(f".q[data-path=\"{path}\"] > fieldset > button[id$='-add']").click()
        page.wait_for_timeout(20)


def _option_index(box: Any, code: str) -> int:
    codes = box.evaluate("b => b.q.raw.options.map(o => o.code)")
    assert code in codes, (code, codes)
    return codes.index(code)


def sign(page: Any, box: Any) -> None:
    """Draw a stroke on a signature pad with a finger, and keep it."""
    path = box.get_attribute("data-path")
    canvas = box.locator("canvas")
    canvas.scroll_into_view_if_needed()
    area = canvas.bounding_box()
    x, y = area["x"] + 20, area["y"] + area["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 8):
        page.mouse.move(x + step * 30, y + (15 if step % 2 else -15))
    page.mouse.up()
    box.locator("button.primary").click()
    page.wait_for_function(
        f"() => document.querySelector('.q[data-path=\"{path}\"]').dataset.answered === '1'"
    )


def statuses(page: Any) -> list[str]:
    return page.locator("#outbox-list .badge").evaluate_all("els => els.map(e => e.dataset.status)")


def wait_statuses(page: Any, expected: str, count: int, timeout: int = 30_000) -> None:
    """Until ``count`` items of the outbox list show ``expected`` (re-reading the home screen)."""
    page.wait_for_function(
        """([expected, count]) => {
            const els = document.querySelectorAll('#outbox-list .badge');
            return els.length === count && [...els].every(e => e.dataset.status === expected);
        }""",
        arg=[expected, count],
        timeout=timeout,
    )


def digits(text: str) -> int:
    return int(re.sub(r"\D", "", text) or 0)


def fill_checklist(
    page: Any, assignment_id: str, template: str, answers: dict[str, Any] | None = None, *, photos: int = 1
) -> None:
    """Open an assignment, start one of its checklists, answer it and finish it."""
    page.goto(page.url.split("#")[0] + f"#/a/{assignment_id}")
    page.locator(f"button[data-template='{template}']").click()
    answer_everything(page, answers, photos=photos)
    page.locator("#finish").click()
    page.locator("#check-in").wait_for()


def go_online(page: Any) -> None:
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")


def work_items(page: Any) -> list[dict[str, Any]]:
    """What the phone holds in IndexedDB (id, status) for its checklists."""
    return page.evaluate(
        """async () => {
            const store = await import('/static/field/js/store.js');
            return (await store.all('work')).map(w => ({id: w.id, status: w.status}));
        }"""
    )


def small_touch_targets(page: Any) -> list[str]:
    """Controls smaller than 44×44 CSS pixels (the map's own controls aside; a visually hidden
    file input is operated through its label, styled as a button, which counts instead)."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
                'button, a, select, input:not([type=radio]):not([type=checkbox]), textarea, '
                + '.choices label, label.button')]
            .filter(el => !el.closest('.leaflet-container') && el.offsetParent !== null)
            .filter(el => !el.classList.contains('visually-hidden'))
            .filter(el => { const r = el.getBoundingClientRect(); return r.height < 44 || r.width < 44; })
            .map(el => el.outerHTML.slice(0, 80))"""
    )


def refused_as_already_sent(
    page: Any, pages: Any, field: Any, colleague: Any, answers: dict[str, Any]
) -> Any:
    """Offline, the signed-in officer finishes ``field.revealed``'s venue checklist with
    ``answers`` while ``colleague`` (an API client of a teammate's phone) sends its own; back
    online, the phone's is refused (``checklist_already_sent``). Returns the phone's held item."""
    from tests.mobile_api.conftest import submission_payload

    wait_offline_ready(page)
    page.context.set_offline(True)
    fill_checklist(page, str(field.revealed.uuid), "venue_prostitution_trafficking", answers)
    [held] = work_items(page)
    theirs = submission_payload(field.revealed, field.venue_version)
    response = colleague.post("/api/mobile/v1/submissions/", theirs, format="json")
    assert response.status_code == 201, response.content
    go_online(page)
    page.goto(pages.base_url + "/field/#/")
    wait_statuses(page, "refused", 1)
    return held, theirs
