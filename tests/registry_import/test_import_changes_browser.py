"""An administrator of Macao brings next month's lists in, in the browser and in Portuguese: an
officers' list kept in Excel (two promotions, a unit moved) shows each change as old → new before
it is applied, and a roster saved from Excel as CSV writes its times day first (31/12/2026 20:00),
as Macao does; the outcomes agree with the rows they count ("criadas"), and the rows' filter
chosen reads as chosen."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from backend.registry.models import Availability, Officer
from tests import factories
from tests.browser_support import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"
HEAD = ["external_id", "agency", "unit", "badge_number", "full_name", "rank", "rank_title", "sex"]


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Lista de agentes — Janeiro 2027"])  # a title row above the header
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(page, base_url: str, kind: str, name: str, data: bytes) -> None:
    page.goto(f"{base_url}/registry/imports/")
    page.get_by_label("O que o ficheiro contém").select_option(kind)
    page.get_by_label("Ficheiro (CSV ou XLSX)").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}]
    )
    page.get_by_role("button", name="Verificar o ficheiro").click()
    page.locator("h2", has_text="Verificação prévia").wait_for()


def test_a_portuguese_administrator_reads_each_change_and_imports_a_day_first_roster(pages):
    ada = factories.officer("PSP", username="ada", roles=("administrator",))
    hq = ada.unit
    harbour = factories.unit(ada.agency, code="psp-harbour")
    type(harbour).objects.filter(pk=harbour.pk).update(name_en="Harbour station", name_pt="Esquadra do Porto")
    type(hq).objects.filter(pk=hq.pk).update(name_pt="Comando")
    rows = [
        ["P-1", "PSP", hq.code, "7001", "Ana Rosário", "3", "Guarda", "F"],
        ["P-2", "PSP", hq.code, "7002", "Rui Lopes", "2", "Guarda", "M"],
    ]

    page = pages.new_page(locale="pt-PT")
    sign_in(page, pages.base_url, "ada", PASSWORD)
    _upload(page, pages.base_url, "officers", "agentes-dezembro.xlsx", _xlsx([HEAD, *rows]))
    page.get_by_role("button", name="Aplicar a importação").click()
    page.locator(".kpis .label", has_text="criadas").wait_for()
    assert page.locator("td", has_text="criada").count() == 2

    rows[0][5:7] = ["4", "Subchefe"]  # promoted
    rows[1][2] = harbour.code  # moved
    _upload(page, pages.base_url, "officers", "agentes-janeiro.xlsx", _xlsx([HEAD, *rows]))
    changes = page.locator("ul.changes")
    assert changes.count() == 2
    assert changes.nth(0).locator("li").all_inner_texts() == [
        "Nível hierárquico: 3 → 4",
        "Designação da categoria: Guarda → Subchefe",
    ]
    assert changes.nth(1).locator("li").all_inner_texts() == ["Unidade: Comando → Esquadra do Porto"]
    chosen = page.locator('nav.toolbar a[aria-current="true"]')
    assert chosen.inner_text() == "Todas as linhas"  # every row changes: all of them are shown
    assert chosen.evaluate("a => getComputedStyle(a).fontWeight") == "700"
    axe_check(page)
    pages.shot(page, "changes-pt")
    page.get_by_role("button", name="Aplicar a importação").click()
    page.locator(".kpis .label", has_text="actualizadas").wait_for()
    assert Officer.objects.get(external_id="P-1").rank == 4

    roster = (
        "external_id,agency,officer,kind,start,end,note\r\n"
        "R-1,PSP,P-1,shift,31/12/2026 20:00,01/01/2027 04:00,passagem de ano\r\n"
        "R-2,PSP,P-2,shift,12/31/2026 20:00,1/1/2027 4:00,mês primeiro\r\n"
    )
    _upload(page, pages.base_url, "shifts", "escala.csv", roster.encode("utf-8-sig"))
    refusal = page.locator("p.problem").inner_text()
    assert refusal.startswith("Início: «12/31/2026 20:00» não é uma data e hora que exista")
    assert "DD/MM/AAAA HH:MM" in refusal
    pages.shot(page, "roster-refused-pt")
    _upload(page, pages.base_url, "shifts", "escala.csv", roster.replace("12/31/2026", "31/12/2026").encode())
    page.get_by_role("button", name="Aplicar a importação").click()
    page.locator(".kpis .label", has_text="criadas").wait_for()
    assert Availability.objects.filter(external_id__in=["R-1", "R-2"]).count() == 2
