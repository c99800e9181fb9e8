"""Opening a case from a submission, the corrective deadline says what an empty one gives, in
days, computed as the case will compute it: the help read "Empty: the strictest default of the
violations.", which a reviewer could not turn into a number (found on a newcomer's walk)."""

from __future__ import annotations

import html
import re

import pytest

from backend.compliance import services
from backend.compliance.models import ComplianceCase
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

# The visit's labour findings: V-02 (14 days) and V-04 (30) ticked, V-12 (3; its legal basis not
# verified) not ticked.
HELP = {
    "en": "Empty: 14 days, the shortest deadline of the violations ticked"
    " (V-02: 14 days, V-04: 30 days, V-12: 3 days).",
    "zh-hant": "留空：14 日，即所勾選違規中最短的期限（V-02：14 日、V-04：30 日、V-12：3 日）。",
    "pt": "Em branco: 14 dias, o prazo mais curto das infracções assinaladas"
    " (V-02: 14 dias, V-04: 30 dias, V-12: 3 dias).",
}


def _help(client, visit, language: str) -> str:
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(f"/review/{visit.submission.uuid}/").content.decode()
    found = re.search(r'<p class="help" id="id_case-corrective_days_helptext">(.*?)</p>', page, re.S)
    assert found, page
    return html.unescape(found.group(1))


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_the_deadline_says_the_days_an_empty_one_gives(language, visit, carol, client):
    services.submission_approve(user=carol.user, submission=visit.submission)
    signed_in(client, carol)
    assert _help(client, visit, language) == HELP[language]


def test_the_figure_is_the_one_the_case_takes(visit, carol, client):
    services.submission_approve(user=carol.user, submission=visit.submission)
    signed_in(client, carol)
    assert "14 days" in _help(client, visit, "en")
    ticked = [f for f in visit.dsal_findings() if f.violation_code in ("V-02", "V-04")]
    client.post(
        f"/review/{visit.submission.uuid}/open-case/",
        {"finding": [str(f.uuid) for f in ticked], "case-reason": "No permits.", "case-corrective_days": ""},
    )
    assert ComplianceCase.objects.get().corrective_days == 14


def test_a_refused_form_still_says_it(visit, carol, client):
    services.submission_approve(user=carol.user, submission=visit.submission)
    signed_in(client, carol)
    response = client.post(
        f"/review/{visit.submission.uuid}/open-case/", {"case-reason": "", "case-corrective_days": ""}
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert HELP["en"] in page
    # Read with the field: the input names the help (and the field's error, if any).
    field = re.search(r'<input[^>]*name="case-corrective_days"[^>]*>', page).group(0)
    assert "id_case-corrective_days_helptext" in field, field
