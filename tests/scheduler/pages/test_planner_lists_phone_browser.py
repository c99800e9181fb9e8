"""The planner's lists on a phone, in Portuguese: at 390 px the operations (six columns: name,
status, start, end, reveal, agencies), the programmes and the due work (eight, with a Cancel
button out of sight) scrolled sideways, the dates ("7 de Dezembro de 2030 às 20:00") a word a line
(the planner's walk). Each row now stacks, its name first, then each fact under its column's
name; the table's roles keep it a table for a screen reader, and a wide screen keeps the table."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.planning.services import due_work_request
from scheduler import services
from tests.browser_support import PHONE, sign_in
from tests.scheduler.conftest import EVENING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLE = """() => {
  const table = document.querySelector('main table.stops'), wrap = table.closest('.table-wrap');
  const right = wrap.getBoundingClientRect().right;
  const row = table.querySelector('tbody tr');
  return { scrolls: wrap.scrollWidth > wrap.clientWidth + 1, row: getComputedStyle(row).display,
    role: table.getAttribute('role'),
    labels: [...row.querySelectorAll('td[data-label]')].map(
      (td) => getComputedStyle(td, '::before').content.replace(/^"|"$/g, '')),
    button: [...row.querySelectorAll('button')].every((b) => b.getBoundingClientRect().right <= right + 1),
    page: document.documentElement.scrollWidth <= window.innerWidth + 1 }; }"""


@pytest.fixture
def lists(operation, paula, city):
    services.programme_create(
        actor=paula.user,
        planner=paula,
        name="Rotina de Dezembro",
        agency=paula.agency,
        start_date=EVENING.date(),
        end_date=EVENING.date() + dt.timedelta(days=6),
    )
    due_work_request(
        actor=paula.user,
        site=city["venues"][1],
        agency=paula.agency,
        category="prostitution_trafficking",
        reason="manual",
        earliest=EVENING.date(),
        latest=EVENING.date() + dt.timedelta(days=3),
        note="denúncia da linha aberta",
    )


@pytest.mark.parametrize(
    ("path", "labels"),
    [
        ("/planning/", ["Estado", "Início", "Fim", "Revelação", "Serviços"]),
        ("/planning/programmes/", ["Serviço", "Primeiro dia", "Último dia", "Estado"]),
        (
            "/planning/due-work/",
            ["Categoria", "Motivo", "Devida a partir de", "Devida até", "Prioridade", "Estado"],
        ),
    ],
    ids=["operations", "programmes", "due-work"],
)
def test_a_list_stacks_on_a_phone_and_stays_a_table_on_a_desktop(pages, lists, path, labels):
    page = pages.new_page(viewport=PHONE)
    sign_in(page, pages.base_url, "paula", "correct-horse-battery")
    page.locator('button[name="language"][value="pt"]').click()
    page.wait_for_load_state()
    page.goto(pages.base_url + path)
    table = page.evaluate(TABLE)
    assert table["row"] == "flex" and table["role"] == "table", table
    assert not table["scrolls"] and table["button"] and table["page"], table
    assert table["labels"] == labels, table
    pages.shot(page, "planner-list-390-pt-" + path.strip("/").replace("/", "-"))
    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.evaluate(TABLE)["row"] == "table-row"
