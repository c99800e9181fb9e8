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
    "pt": ("Só para uma multa.", "Só para um caso regularizado; em branco, hoje."),
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


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_the_amounts_rules_are_in_the_page_in_the_readers_language(language, case, carol, client):
    """The page checks the amount before asking to close the case (forms.js, data-for-choice),
    with the service's own words in the reader's language; a rectified date is no later than today."""
    from django.utils import timezone, translation

    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(f"/compliance/cases/{case.uuid}/").content.decode()
    amount = re.search(r'<input [^>]*name="outcome-penalty_amount"[^>]*>', page).group(0)
    with translation.override(language):
        needed = translation.gettext("A penalty needs a positive amount (MOP).")
        not_needed = translation.gettext("Only a penalty has an amount.")
    assert language == "en" or needed != "A penalty needs a positive amount (MOP)."
    assert 'data-for-choice="outcome-outcome=penalty"' in amount
    assert f'data-needed="{html.escape(needed)}"' in amount
    assert f'data-not-needed="{html.escape(not_needed)}"' in amount
    date = re.search(r'<input [^>]*name="outcome-rectified_on"[^>]*>', page).group(0)
    assert f'max="{timezone.localdate().isoformat()}"' in date


def test_portuguese_says_rectified_one_way(case, carol, client):
    """The outcome read "regularizado" while its date and help said "Corrigido em" and "caso
    corrigido", and the follow-up's failed items read "Itens em falta" (missing items); found on a
    reviewer's walk in Portuguese."""
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    page = html.unescape(client.get(f"/compliance/cases/{case.uuid}/").content.decode())
    assert ">regularizado<" in page
    assert ">Regularizado em<" in page
    assert "orrigido" not in page and "em falta" not in page


@pytest.mark.parametrize(
    ("language", "label"), [("zh-hant", "正式發現："), ("en", "severity: "), ("pt", "gravidade: ")]
)
def test_the_companys_severity_counts_follow_their_label_as_the_language_writes(
    language, label, case, joint, carol, client
):
    """'按嚴重程度計的正式發現： 低：0 項': a space after a Chinese full-width colon (a reviewer's
    walk in Chinese); English and Portuguese keep theirs."""
    from backend.compliance.services import company_score_compute

    company_score_compute(company=joint.contractor)
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(f"/compliance/companies/{joint.contractor.uuid}/").content.decode()
    counts = re.search(r'<p class="help severity-counts">(.*?)</p>', page, re.S).group(1)
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", counts)))  # as a browser shows it
    after = text.split(label, 1)[1]
    assert after[:1].strip(), repr(text[:60])  # the first count right after the label
