"""A case's notice downloads as HTML and as PDF through one view: the two addresses stay as they
were, and who may download, what a refusal looks like and the file's headers are the same for
both, because one code path serves them (they were two near-copies, free to drift apart)."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

FORMATS = [
    ("html", "", "text/html; charset=utf-8"),
    ("pdf", "pdf/", "application/pdf"),
]


def test_both_formats_are_served_by_one_view(case):
    html = f"/compliance/cases/{case.uuid}/notice/en/"
    pdf = f"/compliance/cases/{case.uuid}/notice/en/pdf/"
    assert reverse("compliance_console:case-notice", args=[case.uuid, "en"]) == html
    assert reverse("compliance_console:case-notice-pdf", args=[case.uuid, "en"]) == pdf
    assert resolve(html).func is resolve(pdf).func
    assert resolve(html).kwargs == {"case_id": str(case.uuid), "lang": "en", "fmt": "html"}
    assert resolve(pdf).kwargs == {"case_id": str(case.uuid), "lang": "en", "fmt": "pdf"}


@pytest.mark.parametrize(("fmt", "suffix", "content_type"), FORMATS)
def test_each_format_is_a_private_attachment_named_after_the_case(
    fmt, suffix, content_type, case, carol, client
):
    signed_in(client, carol)
    response = client.get(f"/compliance/cases/{case.uuid}/notice/pt/{suffix}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="notice-{case.short_ref}-pt.{fmt}"'
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(("fmt", "suffix", "content_type"), FORMATS)
def test_each_format_keeps_the_same_access_rules(fmt, suffix, content_type, case, percy, vera, client):
    url = f"/compliance/cases/{case.uuid}/notice/en/{suffix}"
    signed_out = client.get(url)
    assert signed_out.status_code == 302 and signed_out["Location"].startswith("/sign-in/")
    signed_in(client, percy)  # a reviewer of another agency: the case does not exist for him
    assert client.get(url).status_code == 404
    client.logout()
    signed_in(client, vera)  # victim protection: not a compliance page of hers
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("fmt", "suffix", "content_type"), FORMATS)
def test_each_format_refuses_an_unknown_language_or_case_with_404(
    fmt, suffix, content_type, case, carol, client
):
    signed_in(client, carol)
    assert client.get(f"/compliance/cases/{case.uuid}/notice/fr/{suffix}").status_code == 404
    assert client.get(f"/compliance/cases/not-a-case/notice/en/{suffix}").status_code == 404
    other = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/compliance/cases/{other}/notice/en/{suffix}").status_code == 404
