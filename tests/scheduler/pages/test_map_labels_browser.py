"""Parish names on the console's maps stay readable: at the whole-city zoom the five peninsula
parishes lie within a finger's width, and their names ran over one another and lay under the
sites' markers. A name is shown only where it touches no other name shown and no marker or map
control; zoomed in, the names come back where there is room. Checked on the planner's targets
map, in a real browser, in English and in Chinese."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scheduler import services
from tests import factories
from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"

# The names shown, the names hidden, and every clash among the shown ones (with one another,
# a marker or a control), as the reader sees them.
LAYOUT = """(id) => {
  const map = document.getElementById(id);
  const box = (el) => el.getBoundingClientRect();
  const touch = (a, b) =>
    a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const labels = [...map.querySelectorAll('.leaflet-parish-labels-pane .map-label')];
  const shown = labels.filter((l) => getComputedStyle(l).visibility !== 'hidden');
  const others = [...map.querySelectorAll('.leaflet-marker-pane > .leaflet-marker-icon, .leaflet-control')];
  const clashes = [];
  shown.forEach((l, i) => {
    shown.slice(i + 1).forEach((m) => {
      if (touch(box(l), box(m))) clashes.push(l.textContent + ' / ' + m.textContent);
    });
    others.forEach((o) => {
      if (touch(box(l), box(o))) clashes.push(l.textContent + ' / ' + (o.title || o.className));
    });
  });
  return {
    shown: shown.map((l) => l.textContent),
    hidden: labels.filter((l) => !shown.includes(l)).map((l) => l.textContent),
    clashes: clashes,
  };
}"""
SETTLED = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def test_parish_names_never_cover_one_another_or_the_markers(pages, operation, paula):
    # Sites over the peninsula, as a city's registry has them, and targets from the peninsula
    # to Coloane: the map opens on the targets, the whole city.
    for n in range(20):
        factories.site(
            name_en=f"Site {n:02d}",
            latitude=Decimal("22.1880") + Decimal("0.0060") * (n % 5),
            longitude=Decimal("113.5350") + Decimal("0.0060") * (n // 5),
        )
    islands = [
        factories.site(name_en=name, parish=parish, latitude=lat, longitude=lon)
        for name, parish, lat, lon in (
            ("Taipa Bar", "carmo_taipa", Decimal("22.1560"), Decimal("113.5520")),
            ("Coloane Bar", "coloane", Decimal("22.1230"), Decimal("113.5600")),
        )
    ]
    services.operation_targets_set(actor=paula.user, operation=operation, sites=islands, wave="W2")
    page = pages.new_page()
    sign_in(page, pages.base_url, "paula", PASSWORD)
    for language in ("en", "zh-hant"):
        if language != "en":
            page.locator(f'button[name="language"][value="{language}"]').click()
            page.wait_for_load_state()
        page.goto(f"{pages.base_url}/planning/operations/{operation.uuid}/")
        page.locator("#targets-map[data-ready]").wait_for()
        page.wait_for_function("() => document.querySelectorAll('#targets-map .map-label').length === 8")
        page.evaluate(SETTLED)
        city = page.evaluate(LAYOUT, "targets-map")
        assert city["clashes"] == [], (language, city)
        assert city["hidden"], city  # the peninsula has no room for five names at this zoom
        pages.shot(page, f"targets-city-zoom-{language}")

        # Closer in, over a name hidden at the city's zoom: it comes back, and still nothing clashes.
        hidden = city["hidden"][0]
        centre = page.evaluate(
            """(name) => {
              const label = [...document.querySelectorAll('#targets-map .map-label')]
                .find((l) => l.textContent === name);
              const r = label.getBoundingClientRect();
              return [r.left + r.width / 2, r.top + r.height / 2];
            }""",
            hidden,
        )
        page.mouse.move(*centre)
        for _step in range(3):
            page.mouse.wheel(0, -120)
            page.wait_for_timeout(300)
        page.evaluate(SETTLED)
        close = page.evaluate(LAYOUT, "targets-map")
        assert close["clashes"] == [], (language, close)
        assert hidden in close["shown"], (city, close)
