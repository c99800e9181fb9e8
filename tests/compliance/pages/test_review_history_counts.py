"""A decision in a submission's history counts the findings it accepted and rejected without a
plural to get wrong. "(1 aceites, 0 rejeitadas)" took no singular for one, and its two
adjectives disagreed (found on a reviewer's walk in Portuguese): the counts now follow a colon,
"(constatações aceites: 1, rejeitadas: 0)"."""

from __future__ import annotations

from html import unescape

import pytest

from backend.compliance import services
from backend.inspections.models import Finding
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

SAID = {
    "en": "(findings accepted: 2, rejected: 1)",
    "pt": "(constatações aceites: 2, rejeitadas: 1)",
    "zh-hant": "（接納 2 項，駁回 1 項）",
}


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_the_history_counts_a_decisions_findings_in_each_language(joint, bob, carol, client, language):
    construction = joint.submit_construction(bob)
    v04 = Finding.objects.get(violation_code="V-04")
    review = services.submission_approve(
        user=carol.user, submission=construction.submission, reject=[v04.uuid], comment="Permit shown later"
    )
    assert (review.findings_approved, review.findings_rejected) == (2, 1)
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = unescape(client.get(f"/review/{construction.submission.uuid}/").content.decode())
    assert SAID[language] in page
    assert "aceites, " not in page
