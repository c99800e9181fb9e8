"""A refused form's summary joins each field's name to its error with the reader's colon. In
Chinese it read "名稱: 此為必需欄位。" and "第 1 梯次：代號: 梯次代號須簡短……", a half-width colon
after a full-width one (a helper's walk of the planner's path: creating an operation in Chinese).
The summary is every console form's (console/form_errors.html)."""

from __future__ import annotations

import html
import re

import pytest

pytestmark = pytest.mark.django_db

SAID = {
    "zh-hant": ["名稱：此為必需欄位。", "第 1 梯次：代號：梯次代號須簡短"],
    "en": ["Name: This field is required.", "Wave 1: code: A wave's code is short"],
    "pt": ["Nome: Este campo é obrigatório.", "Vaga 1: código: O código de uma vaga é curto"],
}


@pytest.mark.parametrize("language", sorted(SAID))
def test_the_error_summary_says_a_field_and_its_error_with_the_languages_colon(planner_client, language):
    response = planner_client.post(
        "/planning/operations/new/", {"wave_code_1": "甲"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    start = page.index('id="form-errors"')
    summary = re.sub(r"<[^>]+>", "", page[start : page.index("</div>", start)])
    for said in SAID[language]:
        assert said in summary, summary
    if language == "zh-hant":
        assert ": " not in summary, summary
