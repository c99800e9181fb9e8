"""The agency compliance register as CSV, and the ranking it comes from."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils import timezone

from backend.compliance import services
from backend.compliance.apis import REGISTER_COLUMNS
from backend.compliance.models import ComplianceScore
from tests import factories


def _score(company, value, factors=None):
    return ComplianceScore.objects.create(
        company=company,
        computed_at=timezone.now(),
        window_start=timezone.localdate(),
        window_end=timezone.localdate(),
        score=Decimal(value),
        factors=factors or {},
    )


def test_register_lists_companies_worst_first_with_their_factors(joint, bob, carol, percy, api):
    construction = joint.submit_construction(bob)
    services.submission_approve(user=carol.user, submission=construction.submission)
    services.company_score_compute(company=joint.contractor)
    agency = factories.company(kind="employment_agency", name_en='=HYPERLINK("http://evil")')
    _score(agency, "90.00")
    r = api.as_(carol).get("/api/v1/compliance/register.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert r["Content-Disposition"].startswith('attachment; filename="compliance-register-')
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert list(rows[0]) == REGISTER_COLUMNS
    assert [row["company"] for row in rows] == [str(joint.contractor.uuid), str(agency.uuid)]
    first = rows[0]
    assert (first["score"], first["inspections"], first["findings_high"], first["findings_medium"]) == (
        "75.00",
        "1",
        "2",
        "1",
    )
    assert (first["F"], first["open_cases"]) == ("25.00", "0")
    assert rows[1]["name"].startswith("'=")  # no formula runs in a spreadsheet

    only_agencies = (
        api.as_(carol).get("/api/v1/compliance/register.csv?kind=employment_agency").content.decode()
    )
    assert str(joint.contractor.uuid) not in only_agencies


def test_ranking_and_history(db, carol, api):
    agency = factories.company(kind="employment_agency", name_en="Bright Future")
    _score(agency, "80.00", {"F": "20.00"})
    _score(agency, "70.00", {"F": "30.00"})
    ranking = api.as_(carol).get("/api/v1/compliance/ranking/").json()["results"]
    assert [(c["name"], c["score"], c["factors"]) for c in ranking] == [
        ("Bright Future", "70.00", {"F": "30.00"})
    ]
    history = api.as_(carol).get(f"/api/v1/compliance/companies/{agency.uuid}/scores/").json()["history"]
    assert [h["score"] for h in history] == ["70.00", "80.00"]


def test_register_is_empty_for_the_wrong_role(db, vera, api):
    _score(factories.company(kind="employment_agency"), "50.00")
    rows = list(
        csv.reader(io.StringIO(api.as_(vera).get("/api/v1/compliance/register.csv").content.decode()))
    )
    assert rows == [REGISTER_COLUMNS]
