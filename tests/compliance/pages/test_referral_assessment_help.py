"""A referral is marked assessed or closed only with the assessment's outcome. The page said so
only in the refusal: an officer who chose "closed" was asked to confirm the closing (its retention
period starting today), said yes, and only then was told the assessment was still pending (found on
a newcomer's walk). The assessment says it beside itself, read with it (aria-describedby), in the
three languages; the refusal still holds."""

from __future__ import annotations

import re
from html import unescape

import pytest

from backend.compliance.models import Referral
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

SAID = {
    "en": "Needed before the referral is marked assessed or closed",
    "pt": "Necessária antes de marcar o encaminhamento como avaliado ou de o encerrar",
    "zh-hant": "將轉介標示為已評估或結束轉介前必須選擇評估結果",
}


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_the_assessment_says_closing_needs_it_before_closing_is_confirmed(referral, vera, client, language):
    signed_in(client, vera)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = unescape(client.get(f"/protection/{referral.uuid}/").content.decode())
    select = re.search(r'<select name="update-assessment"[^>]*>', page).group(0)
    assert 'aria-describedby="id_update-assessment_helptext"' in select, select
    help_text = re.search(r'<p class="help" id="id_update-assessment_helptext">([^<]+)</p>', page)
    assert help_text and SAID[language] in help_text.group(1), help_text


def test_closing_while_pending_is_still_refused(referral, vera, client):
    signed_in(client, vera)
    refused = client.post(
        f"/protection/{referral.uuid}/update/",
        {"update-status": "closed", "update-assessment": "pending", "update-sex": "F"},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code >= 400
    referral.refresh_from_db()
    assert referral.status == Referral.Status.NEW
