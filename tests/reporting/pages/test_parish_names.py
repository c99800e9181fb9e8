"""A parish has one name: the one its lists, filters, breakdowns, exports and the yearly report
give it (``Parish``'s label), on the maps too. Cotai was "Cotai (no parish)" in the dashboard's
parish filter and "Cotai (reclaimed zone)" on the map beside it, because the map read names of
its own from the boxes' file; the map now takes the names the page gives it."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.conf import settings

from backend.registry.models import Parish
from backend.registry_import.kinds import PARISH_BOXES_FILE
from tests.reporting.pages.test_empty_periods import analyst, gap  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

COTAI = {"en": "Cotai (no parish)", "zh-hant": "路氹城（不屬任何堂區）", "pt": "Cotai (sem freguesia)"}


def _map_names(page: str, map_id: str) -> dict[str, str]:
    found = re.search(rf'<div id="{map_id}"[^>]*data-parish-names="([^"]*)"', page)
    assert found, f"no #{map_id} with parish names on the page"
    return json.loads(html.unescape(found.group(1)))


def _filter_names(page: str) -> dict[str, str]:
    select = re.search(r'<select id="f-parish" name="parish">(.*?)</select>', page, re.S)
    assert select, "no parish filter on the page"
    return {
        value: html.unescape(label)
        for value, label in re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', select.group(1))
    }


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_the_map_and_the_filter_name_cotai_alike(analyst, language):  # noqa: F811
    analyst.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = analyst.get("/statistics/").content.decode()
    on_the_map, in_the_filter = _map_names(page, "parish-map"), _filter_names(page)
    assert on_the_map["cotai"] == in_the_filter["cotai"] == COTAI[language]
    assert on_the_map == in_the_filter  # every parish, not Cotai alone


def test_the_boxes_file_names_no_parish_for_the_maps():
    # Its features are keyed by Parish's ids; the names it keeps are aliases an imported
    # registry may use, which no map reads.
    features = json.loads(PARISH_BOXES_FILE.read_text(encoding="utf-8"))["features"]
    assert sorted(f["properties"]["id"] for f in features) == sorted(Parish.values)
    assert not [key for f in features for key in f["properties"] if key.startswith("name")]
