"""Transfers to the prosecutors, prosecutions and judgments, dated for yearly counts."""

from __future__ import annotations

import datetime as dt

from backend.compliance.models import ProsecutionRecord


def _record(api, who, **body):
    payload = {
        "kind": "transfer",
        "offence": "trafficking",
        "on": "2022-03-04",
        "file_reference": "MP-22-001",
        **body,
    }
    return api.as_(who).post("/api/v1/prosecutions/record/", payload, format="json")


def test_record_and_count_per_year(db, percy, andy, api):
    assert _record(api, percy).status_code == 201
    assert _record(api, percy, kind="prosecution", on="2022-09-01").status_code == 201
    assert _record(api, percy, kind="conviction", on="2023-02-01", defendants=2).status_code == 201
    assert (
        _record(api, percy, kind="transfer", file_reference="MP-19-007", on="2019-05-05").status_code == 201
    )
    per_year = {
        (y, k): ProsecutionRecord.objects.filter(on__year=y, kind=k).count()
        for y in (2019, 2022, 2023)
        for k in ("transfer", "prosecution", "conviction")
    }
    assert per_year[(2022, "transfer")] == 1 and per_year[(2019, "transfer")] == 1
    assert per_year[(2023, "conviction")] == 1
    listed = (
        api.as_(andy).get("/api/v1/prosecutions/?year=2022").json()["results"]
    )  # analysts read all agencies
    assert sorted(r["kind"] for r in listed) == ["prosecution", "transfer"]


def test_the_same_step_twice_is_a_conflict(db, percy, api):
    assert _record(api, percy).status_code == 201
    assert _record(api, percy).status_code == 409
    assert ProsecutionRecord.objects.count() == 1


def test_bad_input_writes_nothing(db, percy, bob, vera, api):
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    assert _record(api, percy, on=future).status_code == 400
    assert _record(api, percy, kind="verdict").status_code == 400
    assert _record(api, percy, case="not-a-uuid").status_code == 400
    assert _record(api, vera).status_code == 403  # victim protection does not record prosecutions
    assert _record(api, bob).status_code == 401  # an inspector's phone token is not let in
    assert api.as_(percy).get("/api/v1/prosecutions/?year=abc").status_code == 400
    assert not ProsecutionRecord.objects.exists()


def test_other_agencies_reviewers_do_not_see_them(db, percy, carol, api):
    _record(api, percy)
    assert api.as_(carol).get("/api/v1/prosecutions/").json()["count"] == 0
    assert api.as_(percy).get("/api/v1/prosecutions/").json()["count"] == 1


def test_another_agencys_file_reference_is_not_revealed_by_a_conflict(db, percy, carol, api):
    """Uniqueness is per agency: a 409 on another agency's reference would tell one agency that
    another's criminal file exists (#15)."""
    assert _record(api, percy).status_code == 201
    response = _record(api, carol)
    assert response.status_code == 201, response.content
    assert ProsecutionRecord.objects.filter(file_reference="MP-22-001").count() == 2
    assert _record(api, carol).status_code == 409  # its own step twice is still a conflict
