"""Deciding a case, the penalty and the rectified date each say which outcome they belong to, read
with the field: a reviewer who typed an amount and chose "Rectified" (or none for a penalty)
learnt it from a refusal after confirming the closing, and was never told an empty rectified date
is taken as today (found on a newcomer's walk in Chinese)."""

from __future__ import annotations

import html
import re

import pytest

from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

HELP = {
    "en": ("For a penalty only.", "For a rectified case only; left empty, today."),
    "zh-hant": ("只適用於罰款。", "只適用於已糾正的個案；留空即為今日。"),
    "pt": ("Só para uma multa.", "Só para um caso corrigido; em branco, hoje."),
}


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_penalty_and_rectified_date_say_their_outcome(language, case, carol, client):
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(f"/compliance/cases/{case.uuid}/").content.decode()
    for field, text in zip(("penalty_amount", "rectified_on"), HELP[language], strict=True):
        described = re.search(rf'<input [^>]*name="outcome-{field}"[^>]*>', page).group(0)
        assert f'aria-describedby="id_outcome-{field}_helptext"' in described
        found = re.search(rf'<p class="help" id="id_outcome-{field}_helptext">(.*?)</p>', page, re.S)
        assert found and html.unescape(found.group(1)) == text
