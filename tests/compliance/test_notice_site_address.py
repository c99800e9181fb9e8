"""The notice and the console's case page give the site's address in the reader's language: a
notice in Chinese gave the address in Portuguese only, beside the site's Chinese name."""

from __future__ import annotations

import pytest
from django.contrib import admin

from backend.compliance import services
from backend.compliance.notice import notice_render_html
from backend.inspections.models import Finding
from backend.registry.models import Site

PORTUGUESE = "Avenida de Almeida Ribeiro, n.º 12, Macau"
CHINESE = "澳門亞美打利庇盧大馬路12號"


@pytest.mark.django_db
def test_a_notice_gives_the_address_in_its_language(joint, bob, carol):
    construction = joint.submit_construction(bob)
    services.submission_approve(user=carol.user, submission=construction.submission)
    findings = list(Finding.objects.filter(submission=construction.submission, competent_agency__code="DSAL"))
    case = services.case_open(user=carol.user, findings=findings, reason="x")
    Site.objects.filter(pk=case.site_id).update(address=PORTUGUESE, address_zh_hant=CHINESE)
    case.site.refresh_from_db()
    chinese = notice_render_html(case, "zh-hant")
    assert CHINESE in chinese and PORTUGUESE not in chinese
    portuguese = notice_render_html(case, "pt")
    assert PORTUGUESE in portuguese and CHINESE not in portuguese


def test_the_admin_edits_and_searches_both_addresses():
    site_admin = admin.site._registry[Site]
    assert {"address", "address_zh_hant"} <= set(site_admin.search_fields)
    fields = [f for _, options in site_admin.fieldsets for f in options["fields"]]
    assert "address" in fields and "address_zh_hant" in fields
