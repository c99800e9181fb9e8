"""The admin names the system in the reader's language, as the console does: its header and each
page's title said "Joint inspections" in English to a Chinese or Portuguese administrator, beside
the admin's own words in their language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

NAMES = {"en": "Joint inspections", "zh-hant": "聯合巡查", "pt": "Inspecções conjuntas"}


@pytest.mark.parametrize("language", sorted(NAMES))
@pytest.mark.parametrize("path", ["/admin/", "/admin/registry/officer/", "/admin/audit/auditentry/"])
def test_the_admin_names_the_system_in_the_readers_language(admin_console, language, path):
    admin_console.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = admin_console.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1).strip()
    assert title.endswith(f"| {NAMES[language]}"), title
    header = re.search(r'<div id="site-name"><a href="[^"]*">(.*?)</a>', text, re.S).group(1).strip()
    assert header == NAMES[language]
