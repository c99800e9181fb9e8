"""A case whose findings include one with an unverified legal basis says beside the notice that it
cannot be issued yet, and why, instead of offering "Issue the notice". The button asked "Issue the
notice? The corrective deadline starts today." and the answer was then a refusal (found on a
newcomer's walk, in Portuguese: a case opened from the reviewer's page on V-12, documents held,
whose legal basis names no verified Macao provision). A case resting on verified bases keeps its
button."""

from __future__ import annotations

from html import unescape

import pytest

from backend.compliance import services
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

SAID = {
    "en": "It cannot be issued yet: the legal basis of V-12 is not verified",
    "pt": "Ainda não pode ser emitida: a base legal de V-12 não está verificada",
    "zh-hant": "暫未能發出：V-12 的法律依據未經核實",
}
BUTTON = {"en": "Issue the notice", "pt": "Emitir a notificação", "zh-hant": "發出通知書"}


def _page(client, case, language):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return unescape(client.get(f"/compliance/cases/{case.uuid}/").content.decode())


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_a_case_on_an_unverified_legal_basis_says_its_notice_cannot_be_issued_yet(
    visit, carol, client, language
):
    services.submission_approve(user=carol.user, submission=visit.submission)
    case = services.case_open(user=carol.user, findings=visit.dsal_findings(), reason="All three.")
    signed_in(client, carol)
    page = _page(client, case, language)
    assert SAID[language] in page
    assert f'/compliance/cases/{case.uuid}/notice/"' not in page  # no form that would be refused
    assert f">{BUTTON[language]}</button>" not in page


@pytest.mark.parametrize("language", ["en", "pt"])
def test_a_case_on_verified_legal_bases_offers_its_notice(case, carol, client, language):
    signed_in(client, carol)
    page = _page(client, case, language)
    assert SAID[language] not in page
    assert f">{BUTTON[language]}</button>" in page
