"""``manage.py stats``: any statistic in the terminal."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from backend.reporting.services import rollup_refresh
from tests import factories
from tests.reporting.conftest import LOCAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(record):
    works = factories.site("construction_site", parish="cotai", opening_hours=[])
    for year in (2019, 2019, 2023):
        record(works, "DSAL", "construction_questionnaire", at=dt.datetime(year, 3, 1, 10, tzinfo=LOCAL))
    record(works, "PSP", "illegal_employment", at=dt.datetime(2020, 3, 1, 10, tzinfo=LOCAL))
    rollup_refresh()


def test_a_table_by_year_and_category_for_one_agency(work, capsys):
    call_command(
        "stats", "inspections", "--by", "year,category", "--agency", "DSAL", "--from", "2019", "--to", "2023"
    )
    out = capsys.readouterr().out
    assert "2019  construction_questionnaire            2" in out
    assert out.splitlines()[-2].split() == ["total", "3"]
    assert "(rollup; inspections)" in out


def test_json_and_filters(work, capsys):
    call_command(
        "stats", "inspections", "--by", "agency", "--filter", "parish=cotai", "--format", "json", "--raw"
    )
    body = json.loads(capsys.readouterr().out)
    assert body["rows"] == [{"agency": "DSAL", "inspections": 3}, {"agency": "PSP", "inspections": 1}]


def test_a_bad_request_is_an_error(work):
    with pytest.raises(CommandError, match="by"):
        call_command("stats", "inspections", "--by", "colour")


def test_list_shows_definitions(db, capsys):
    call_command("stats", "--list")
    assert "inspections (inspections): Inspections of record that were conducted" in capsys.readouterr().out
