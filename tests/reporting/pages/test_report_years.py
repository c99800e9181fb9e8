"""No yearly report of a year not yet begun: /statistics/report/2019-2030/ answered 200 with zeros
for years to come, which read as years without an inspection (the analyst's walk)."""

from __future__ import annotations

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_report_of_years_to_come_is_refused_on_the_page_and_in_the_api(analyst):
    this_year = timezone.localdate().year
    assert analyst.get(f"/statistics/report/{this_year}-{this_year + 4}/").status_code == 404
    answer = analyst.get(
        f"/api/v1/statistics/report/{this_year - 1}-{this_year + 1}/", HTTP_ACCEPT_LANGUAGE="pt"
    )
    assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"
    assert f"no máximo, {this_year}" in answer.json()["errors"]["years"][0]
    assert analyst.get(f"/statistics/report/{this_year}-{this_year}/").status_code == 200
    assert analyst.get(f"/api/v1/statistics/report/{this_year}-{this_year}/").status_code == 200
