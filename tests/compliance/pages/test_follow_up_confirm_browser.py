"""Requesting a case's follow-up inspection asks first, saying what it does: one click on "Request
the follow-up inspection" sent work to the planners, and the reviewer had no way to take it back
from the case (only recording the outcome withdraws it). Dismissed, nothing is requested; the
question is asked in the reader's language."""

from __future__ import annotations

import html
import re

import pytest
from playwright.sync_api import expect

from backend.compliance import services
from backend.compliance.models import ComplianceCase
from backend.planning.models import DueWork
from tests.browser_support import sign_in
from tests.compliance.pages.conftest import signed_in

PASSWORD = "correct-horse-battery"

QUESTION = {
    "en": "Request the follow-up inspection now? The planners are asked to visit the site from today to"
    " re-check the failed items; only recording the case's outcome withdraws the request.",
    "zh-hant": "現在申請跟進巡查？策劃人員將獲要求由今日起到場覆查不合格項目；"
    "只有記錄個案結果方可撤回此申請。",
    "pt": "Pedir já a inspecção de acompanhamento? Os planeadores são chamados a visitar o local a partir de"
    " hoje para verificar de novo os itens em falta; só o registo do resultado do processo retira o pedido.",
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_follow_up_is_requested_only_once_confirmed(pages, case, carol):
    services.case_notice_issue(user=carol.user, case=case)
    page = pages.new_page()
    sign_in(page, pages.base_url, "carol", PASSWORD)
    page.goto(f"{pages.base_url}/compliance/cases/{case.uuid}/")
    asked: list[str] = []
    answer = {"accept": False}

    def reply(dialog):
        asked.append(dialog.message)
        dialog.accept() if answer["accept"] else dialog.dismiss()

    page.on("dialog", reply)
    button = page.get_by_role("button", name="Request the follow-up inspection")
    button.click()
    expect(button).to_be_visible()
    assert asked == [QUESTION["en"]]
    assert not DueWork.objects.exists()  # dismissed: nothing sent to the planners
    assert ComplianceCase.objects.get().status == "notice_issued"

    answer["accept"] = True
    button.click()
    expect(button).to_have_count(0)  # requested: the card says when, and offers it no more
    expect(page.locator("#follow-h + p")).to_contain_text("to be planned between")
    assert len(asked) == 2
    assert DueWork.objects.count() == 1
    assert ComplianceCase.objects.get().status == "follow_up"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_the_question_is_in_the_readers_language(language, case, carol, client):
    services.case_notice_issue(user=carol.user, case=case)
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(f"/compliance/cases/{case.uuid}/").content.decode()
    form = re.search(r'<form[^>]*follow-up/"[^>]*>(.*?)</form>', page, re.S).group(1)
    confirm = re.search(r'data-confirm="([^"]*)"', form)
    assert confirm, form
    assert html.unescape(confirm.group(1)) == QUESTION[language]
