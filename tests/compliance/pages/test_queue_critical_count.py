"""The review queue counts a submission's critical findings apart from its high ones. A row with
one critical and one high finding read "2 high" (the count took critical for high), so a reviewer
choosing what to open first could not tell the critical one was there. Each level now has its
chip, critical filled as everywhere else: "1 critical" "1 high", in the reader's language."""

from __future__ import annotations

import re
from html import unescape

import pytest

from backend.inspections.models import Finding
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

CHIPS = {
    "en": ("1 critical", "1 high"),
    "pt": ("1 crítica", "1 alta"),
    "zh-hant": ("嚴重：1 項", "高：1 項"),
}


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_a_critical_finding_is_not_counted_as_high(visit, carol, client, language):
    # Carol's agency's findings: one made critical, one left high, the rest below high.
    findings = visit.dsal_findings()
    critical, high, *others = findings
    Finding.objects.filter(pk=critical.pk).update(severity="critical")
    Finding.objects.filter(pk=high.pk).update(severity="high")
    Finding.objects.filter(pk__in=[f.pk for f in others]).update(severity="medium")
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = unescape(client.get("/review/").content.decode())
    cell = re.search(r'data-label="[^"]*"[^>]*>\d+( <span class="badge[^"]*">[^<]*</span>)+</td>', page)
    assert cell, "no counts of severe findings in the queue"
    chips = re.findall(r'<span class="(badge[^"]*)">([^<]*)</span>', cell.group(0))
    assert chips == [("badge danger solid", CHIPS[language][0]), ("badge danger", CHIPS[language][1])], chips


def test_the_queue_api_counts_critical_apart_from_high(visit, carol, api):
    """The review queue's API counts as the board does: ``my_high_findings`` are the high ones,
    ``my_critical_findings`` the critical ones (it counted critical with high)."""
    findings = visit.dsal_findings()
    critical, high, *others = findings
    Finding.objects.filter(pk=critical.pk).update(severity="critical")
    Finding.objects.filter(pk=high.pk).update(severity="high")
    Finding.objects.filter(pk__in=[f.pk for f in others]).update(severity="medium", potential_victim=False)
    (item,) = api.as_(carol).get("/api/v1/review/queue/").json()["results"]
    assert item["id"] == str(visit.submission.uuid)
    assert (item["my_findings"], item["my_critical_findings"], item["my_high_findings"]) == (
        len(findings),
        1,
        1,
    )
    assert item["potential_victims"] == 0
