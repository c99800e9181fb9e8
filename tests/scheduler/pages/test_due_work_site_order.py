"""The due-work request's list of sites is in the order of the names the reader sees: ordered by
the English name, read in Portuguese or Chinese, its 800 sites seemed in no order at all."""

from __future__ import annotations

import re

import pytest

from tests import factories


def _site_options(client, language: str) -> list[str]:
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get("/planning/due-work/").content.decode()
    select = re.search(r'<select name="site"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [label.strip() for label in re.findall(r'<option value="[^"]+"[^>]*>([^<]*)</option>', select)]


@pytest.mark.django_db
def test_the_sites_to_request_are_in_the_order_of_the_readers_names(planner_client):
    factories.site(name_en="Blue Bay Club", name_pt="Clube Baía Azul", name_zh_hant="藍灣會所")
    factories.site(name_en="Blue Dragon Bar", name_pt="Bar Dragão Azul", name_zh_hant="藍龍酒吧")
    factories.site(name_en="Ruby Sauna", name_pt="", name_zh_hant="")  # no name but the English one
    factories.site(name_en="Amber Karaoke", name_pt="Karaoke Âmbar", name_zh_hant="琥珀卡拉OK")

    assert _site_options(planner_client, "en") == [
        "Amber Karaoke",
        "Blue Bay Club",
        "Blue Dragon Bar",
        "Ruby Sauna",
    ]
    assert _site_options(planner_client, "pt") == [
        "Bar Dragão Azul",
        "Clube Baía Azul",
        "Karaoke Âmbar",
        "Ruby Sauna",
    ]
    chinese = ["藍灣會所", "藍龍酒吧", "Ruby Sauna", "琥珀卡拉OK"]
    assert _site_options(planner_client, "zh-hant") == sorted(chinese)
