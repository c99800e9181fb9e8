"""An administrator's console home leads straight to the lists they keep every day (officers,
sites, companies, the audit log), not only to the administration's index; the header keeps to the
console's pages, and no other role is shown them."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.browser_support import sign_in_client

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LISTS = {
    "Officers": "/admin/registry/officer/",
    "Sites": "/admin/registry/site/",
    "Companies": "/admin/registry/company/",
    "Audit log": "/admin/audit/auditentry/",
}


def section(page: str, role: str) -> str:
    found = re.search(rf'<section class="card role-{role}".*?</section>', page, re.S)
    return found.group(0) if found else ""


def header(page: str) -> str:
    return re.search(r'<nav class="shell-nav".*?</nav>', page, re.S).group(0)


def test_the_administrators_home_links_each_list_and_each_link_opens_it(client):
    factories.officer("DSAL", username="adam", roles=("administrator",), full_name="Adam Admin")
    factories.officer("DSAL", username="oscar", full_name="Oscar Officer")  # his own agency's
    sign_in_client(client, "adam", PASSWORD)
    page = client.get("/").content.decode()
    admin = section(page, "administrator")
    for label, url in LISTS.items():
        assert f'<a href="{url}">{label}</a>' in admin, label
        assert f'href="{url}"' not in header(page), label
    assert "Open the administration" in admin
    officers = client.get(LISTS["Officers"])
    assert officers.status_code == 200 and "Oscar Officer" in officers.content.decode()
    for url in LISTS.values():
        assert client.get(url).status_code == 200, url


def test_in_portuguese(client):
    factories.officer("DSAL", username="adam", roles=("administrator",))
    sign_in_client(client, "adam", PASSWORD)
    client.cookies["django_language"] = "pt"
    admin = section(client.get("/", HTTP_ACCEPT_LANGUAGE="pt").content.decode(), "administrator")
    assert '<a href="/admin/registry/officer/">Agentes</a>' in admin
    assert "desbloquear o início de sessão" in admin
    assert '<a href="/admin/audit/auditentry/">Registo de auditoria</a>' in admin


def test_no_other_role_is_shown_the_lists(client):
    factories.officer("PSP", username="paula", roles=("planner", "reviewer", "analyst"))
    sign_in_client(client, "paula", PASSWORD)
    page = client.get("/").content.decode()
    assert section(page, "planner")
    for url in LISTS.values():
        assert url not in page
        assert client.get(url).status_code in (302, 403)
