"""A number typed in full-width digits is a number. A Chinese keyboard (Cangjie, handwriting, a
full-width mode) types "２" for 2: the venue checklist answered "Type a whole number, in digits
(for example 3)" to an officer who had typed just that, and would not finish."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.inspections.models import Submission
from tests.mobile_api.field.phone import answer_everything, open_phone, sign_in_app, wait_statuses

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_full_width_digits_answer_a_number_question(pages, field):
    page = open_phone(pages, locale="zh-Hant")
    sign_in_app(page, pages.base_url, "alice")
    page.goto(f"{pages.base_url}/field/#/a/{field.revealed.uuid}")
    page.locator("button[data-template='venue_prostitution_trafficking']").click()
    answer_everything(page, {"venue_type": "karaoke", "persons_found": "２", "persons": 2})
    count = page.locator(".q[data-key='persons_found']")
    expect(count.locator(".err")).to_have_text("")
    expect(count).not_to_have_class("invalid")

    # Decimals as typed on a Chinese or Portuguese keyboard: the checks read them as the point.
    app = page.locator("script[type=module]").get_attribute("src")
    read = page.evaluate(
        """async (app) => {
            const { numberText } = await import(new URL("form.js", new URL(app, location.href)).href);
            return ["１．５", "1。5", "１｡５", "1,5", " 2 "].map(numberText);
        }""",
        app,
    )
    assert read == ["1.5", "1.5", "1.5", "1.5", "2"]

    # Said back as each language writes numbers: a decimal typed "1,5" in Portuguese showed
    # "1.5" once the checklist was drawn again, and a limit read "Acima do máximo (1000000)."
    shown = page.evaluate(
        """async (app) => {
            const base = new URL(app, location.href);
            const i18n = await import(new URL("i18n.js", base).href);
            const { message, numberShown } = await import(new URL("form.js", base).href);
            const out = {};
            for (const language of ["pt", "zh-hant", "en"]) {
                await i18n.set(language);
                out[language] = [
                    numberShown("1.5"), numberShown("12"), numberShown("abc"),
                    message({ code: "max", params: { limit: 1000000 } }, { type: "decimal" }),
                    message({ code: "min", params: { limit: "0.5" } }, { type: "decimal" }),
                    message({ code: "min", params: { limit: "2026-12-03" } }, { type: "date" }),
                ];
            }
            await i18n.set("zh-hant");
            return out;
        }""",
        app,
    )
    assert shown["pt"] == [
        "1,5",
        "12",
        "abc",
        "Acima do máximo (1\u00a0000\u00a0000).",
        "Abaixo do mínimo (0,5).",
        "Abaixo do mínimo (2026-12-03).",
    ], shown["pt"]
    assert shown["zh-hant"][:5] == ["1.5", "12", "abc", "高於上限（1,000,000）。", "低於下限（0.5）。"], shown
    assert shown["en"][3:5] == ["Above the maximum (1,000,000).", "Below the minimum (0.5)."], shown

    page.locator("#finish").click()
    page.locator("#check-in").wait_for()
    page.goto(f"{pages.base_url}/field/#/")
    wait_statuses(page, "complete", 1)
    assert Submission.objects.get().answers["persons_found"] == 2
