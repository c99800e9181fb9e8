"""The score-history chart tells apart the scores computed on one day by their time. A score is
computed again at each reviewer's decision, and each point was labelled with its date alone: the
demo's employment agency showed three points over "6 de Dezembro de 2026" three times (found on a
newcomer's walk, in Portuguese). A day with one score keeps its date alone."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import formats, timezone, translation

from backend.compliance import services
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "pt"])
def test_scores_of_one_day_are_labelled_with_their_time(case, joint, carol, client, language):
    company = joint.contractor
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    times = [today - dt.timedelta(days=3), today, today + dt.timedelta(hours=2, minutes=30)]
    for when in times:
        services.company_score_compute(company=company, now=when)
    signed_in(client, carol)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(f"/compliance/companies/{company.uuid}/").content.decode()
    chart = json.loads(re.search(r'id="score-chart-data"[^>]*>(.*?)</script>', page).group(1))
    labels = chart["labels"]
    assert len(labels) == len(set(labels)) == 3, labels
    with translation.override(language):
        assert labels == [
            formats.date_format(times[0], "SHORT_DATE_FORMAT"),
            formats.date_format(times[1], "SHORT_DATETIME_FORMAT"),
            formats.date_format(times[2], "SHORT_DATETIME_FORMAT"),
        ]
