"""The register's "Download CSV" downloads what the register shows: its filters (kind, name,
open cases only) go with the link, and each company is named in the three languages. The link
was the whole register whatever was filtered, and named companies in English only, so a reviewer
reading the register in Chinese could not find the agency they had searched for in the file."""

from __future__ import annotations

import csv
import html
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.compliance import services
from backend.compliance.models import ComplianceScore
from tests import factories
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db


def _scored(kind: str, name_en: str, name_zh_hant: str, score: str):
    company = factories.company(kind=kind, name_en=name_en, name_zh_hant=name_zh_hant)
    ComplianceScore.objects.create(
        company=company,
        computed_at=timezone.now(),
        window_start=timezone.localdate(),
        window_end=timezone.localdate(),
        score=Decimal(score),
        factors={},
    )
    return company


def _download(client, register_url: str) -> list[dict[str, str]]:
    page = client.get(register_url).content.decode()
    href = html.unescape(re.search(r'<a class="button" href="([^"]*register\.csv[^"]*)"', page).group(1))
    response = client.get(href)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_download_keeps_the_filters_and_names_in_every_language(carol, client):
    agency = _scored("employment_agency", "Peace Domestic Helper Centre", "安達家傭中心有限公司", "80.00")
    _scored("employment_agency", "Sea Star Employment Centre", "海星僱傭中心有限公司", "70.00")
    contractor = _scored("contractor", "Peace Construction", "安達建築工程有限公司", "60.00")
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})

    rows = _download(client, "/compliance/?kind=employment_agency&q=%E5%AE%89%E9%81%94")
    assert [row["company"] for row in rows] == [str(agency.uuid)]
    names = (rows[0]["name"], rows[0]["name_zh_hant"])
    assert names == ("Peace Domestic Helper Centre", "安達家傭中心有限公司")

    everything = _download(client, "/compliance/")
    assert {row["company"] for row in everything} >= {str(agency.uuid), str(contractor.uuid)}


def test_open_cases_only_goes_with_the_download(case, carol, client):
    services.company_score_compute(company=case.company)
    _scored("employment_agency", "No Case Agency", "無個案職業介紹所", "50.00")
    signed_in(client, carol)
    rows = _download(client, "/compliance/?open_cases=on")
    assert [row["company"] for row in rows] == [str(case.company.uuid)] and rows[0]["open_cases"] == "1"
    assert "No Case Agency" not in {row["name"] for row in rows}
