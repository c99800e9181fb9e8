"""A company's page leads back where the reader came from. Opened from a case's page, its "back"
link went to the compliance register all the same, and the reviewer lost the case. The case's
link now says where it comes from (``?from=<the case's path>``) and the company's page goes back
there; anything else in ``from`` (another host, a path outside the console's case pages, a
script) is ignored and the way back is the register: the parameter is written only into a
link, never followed as a redirect."""

from __future__ import annotations

import re
from html import unescape

import pytest
from playwright.sync_api import expect

from backend.compliance import services
from tests.browser_support import PHONE, axe_check, sign_in
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"


def _back(page: str) -> tuple[str, str]:
    match = re.search(r'<p class="no-print"><a href="([^"]*)">← ([^<]*)</a></p>', page)
    assert match, page[:2000]
    return unescape(match.group(1)), unescape(match.group(2))


def test_the_case_page_leads_to_the_company_and_back_to_the_case(case, carol, client):
    signed_in(client, carol)
    case_path = f"/compliance/cases/{case.uuid}/"
    page = client.get(case_path).content.decode()
    link = re.search(r'href="(/compliance/companies/[^"]+)"', page).group(1)
    company = client.get(unescape(link))
    assert company.status_code == 200
    assert _back(company.content.decode()) == (case_path, f"Case {case.short_ref}")
    client.cookies["django_language"] = "pt"
    assert _back(client.get(unescape(link)).content.decode())[1] == f"Processo {case.short_ref}"


@pytest.mark.parametrize(
    "came_from",
    [
        "",
        "//evil.example/compliance/cases/{case}/",
        "https://evil.example/compliance/cases/{case}/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "/compliance/cases/{case}/\njavascript:alert(1)",
        "/admin/",
        "/compliance/cases/not-a-case/",
        "/compliance/cases/{case}/#x",
        "/compliance/cases/{case}/comment/",
        "/nowhere/",
    ],
)
def test_anything_else_goes_back_to_the_register(came_from, case, carol, client):
    signed_in(client, carol)
    company = case.company
    came_from = came_from.format(case=case.uuid)
    response = client.get(f"/compliance/companies/{company.uuid}/", {"from": came_from})
    assert response.status_code == 200
    assert _back(response.content.decode()) == ("/compliance/", "Compliance register")


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [None, PHONE])
def test_a_reviewer_goes_from_the_case_to_the_company_and_back(viewport, pages, case, carol):
    services.company_score_compute(company=case.company)
    page = pages.new_page(**({"viewport": viewport} if viewport else {}))
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/compliance/cases/{case.uuid}/")
    page.get_by_role("link", name=case.company.name).click()
    back = page.get_by_role("link", name=f"← Case {case.short_ref}")
    expect(back).to_be_visible()
    axe_check(page)
    back.click()
    expect(page).to_have_url(f"{pages.base_url}/compliance/cases/{case.uuid}/")
