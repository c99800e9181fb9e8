"""The admin's officers list fits a 1366-pixel screen and speaks Chinese punctuation: the agency by
its code, not "PSP – Public Security Police" (an administrator's walk in Chinese: the list scrolled
sideways), and roles listed with "、"."""

from __future__ import annotations

import re

from tests import factories


def test_the_officers_list_names_agencies_by_code_and_lists_roles_in_the_readers_way(admin_console):
    factories.officer("PSP", username="rita", full_name="Rita Review", roles=("reviewer", "planner"))
    admin_console.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    page = admin_console.get("/admin/registry/officer/?q=rita").content.decode()
    [row] = re.findall(r"<tr>.*?Rita Review.*?</tr>", page, re.S)
    assert '<td class="field-agency_code">PSP</td>' in row
    assert "治安警察局" not in row and "PSP – " not in row
    roles = re.search(r'<td class="field-role_list">(.*?)</td>', row).group(1)
    assert "、" in roles and ", " not in roles
    by_code = admin_console.get("/admin/registry/officer/?o=3").content.decode()  # sortable by code
    assert "field-agency_code" in by_code
