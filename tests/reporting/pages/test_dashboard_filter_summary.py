"""The dashboard's line above its figures names every filter they were counted with, and so does
what a screen reader is told when they change: the period, the agency, the category and the
parish. It named the period and the agency only, so "788 inspections" under "Period: all years
recorded." read as every inspection when a category and a parish were chosen (the analyst's
walk), and a screen reader heard the same "Figures updated: all years recorded." whichever
category or parish was chosen."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.conf import settings

from backend.reporting.services import rollup_refresh
from tests import factories
from tests.browser_support import sign_in_client
from tests.reporting.conftest import LOCAL

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def analyst(record, client, andy):
    venue = factories.site("venue", parish="se")
    record(venue, "PSP", "illegal_employment", at=dt.datetime(2021, 7, 5, 10, tzinfo=LOCAL))
    rollup_refresh()
    sign_in_client(client, "andy", PASSWORD)
    return client


def _summary(client, language, query):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/statistics/?{query}")
    assert response.status_code == 200, response.content[:2000]
    found = re.search(
        r'<p class="period" data-announce="([^"]*)">(.*?)<span', response.content.decode(), re.S
    )
    assert found, "no period line"
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(2))).split())
    return html.unescape(found.group(1)), shown


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "Period: 2021 to 2021. Agency: PSP. Category: illegal employment. Parish: Cathedral (Sé)."),
        ("pt", "Período: de 2021 a 2021. Serviço: PSP. Categoria: emprego ilegal. Freguesia: Sé."),
        ("zh-hant", "期間：2021 至 2021。部門：PSP。類別：非法僱用。堂區：大堂區。"),
    ],
)
def test_the_summary_names_every_filter(analyst, language, expected):
    announced, shown = _summary(
        analyst, language, "from=2021&to=2021&agency=PSP&category=illegal_employment&parish=se"
    )
    assert shown == expected
    filters = expected.split(".", 1)[1].strip() if language != "zh-hant" else expected.split("。", 1)[1]
    assert announced.endswith(filters), announced


def test_without_filters_the_summary_is_the_period_alone(analyst):
    announced, shown = _summary(analyst, "en", "")
    assert shown == "Period: all years recorded."
    assert announced == "Figures updated: all years recorded."
