"""Which agency, and which day, each of the dashboard's figures counts by.

Inspections count under their responsible agency (the joint operation's lead agency, or the
routine team's), findings under their competent agency, whichever agency inspected: in the demo
history the police inspect illegal employment and the labour bureau is competent for what they
find, so ``agency=DSAL&category=illegal_employment`` showed 0 inspections beside hundreds of
official findings, and nothing on the page said why. The figures stay as they are (the seed
report's police inspections depend on it); the page now says, beside each tile while the agency
filter is on, which agency it counts under, and the definitions say which agency and which day
each figure counts by, in the three languages."""

from __future__ import annotations

import html
import re

import pytest

from tests.reporting.pages.figures import PageFigures, page_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("history")]

FILTERED = "/statistics/?from=2019&to=2023&agency=DSAL&category=illegal_employment"
UNFILTERED = "/statistics/?from=2019&to=2023&category=illegal_employment"

TEXTS = {
    "en": {
        "responsible": "counted under the responsible agency",
        "competent": "counted under the competent agency",
        "inspections_agency": "Counted under the responsible agency: the lead agency of the joint operation",
        "findings_agency": "Counted under the competent agency",
        "findings_day": "reached the server",
    },
    "zh-hant": {
        "responsible": "計入負責部門",
        "competent": "計入主管部門",
        "inspections_agency": "計入負責部門：聯合行動的主導部門",
        "findings_agency": "計入主管部門：",
        "findings_day": "送達伺服器",
    },
    "pt": {
        "responsible": "contado no serviço responsável",
        "competent": "contado no serviço competente",
        "inspections_agency": "Contado no serviço responsável: o serviço coordenador da operação conjunta",
        "findings_agency": "Contado no serviço competente",
        "findings_day": "chegou ao servidor",
    },
}


def _tile_notes(page: str) -> dict[str, str]:
    notes = {}
    for measure, tile in re.findall(r'<li data-measure="([a-z_]+)">(.*?)</li>', page, re.S):
        note = re.search(r'<span class="basis">([^<]*)</span>', tile)
        notes[measure] = html.unescape(note.group(1)) if note else ""
    return notes


def _definitions(page: str) -> dict[str, str]:
    block = re.search(r'<details class="card definitions">(.*?)</details>', page, re.S)
    assert block, "no definitions on the page"
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block.group(1), re.S)
    return {html.unescape(dt): html.unescape(re.sub(r"<[^>]+>", "", dd)) for dt, dd in pairs}


def test_the_attribution_is_as_defined(analyst):
    """The figures themselves: DSAL is responsible for no illegal-employment inspection of the
    history (the police's) but competent for its findings."""
    figures = PageFigures(page_html(analyst, FILTERED))
    assert figures.kpis["inspections"] == 0
    assert figures.kpis["findings"] > 0


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_each_tile_says_which_agency_it_counts_under_while_filtered(analyst, language):
    texts = TEXTS[language]
    page = page_html(analyst, FILTERED, language)
    notes = _tile_notes(page)
    for measure in ("inspections", "inspections_no_access", "sites_inspected", "companies_inspected"):
        assert notes[measure] == texts["responsible"], (measure, notes)
    for measure in ("findings", "findings_awaiting_review", "potential_victims"):
        assert notes[measure] == texts["competent"], (measure, notes)
    assert 'class="help agency-basis"' in page
    # Without the agency filter the tiles carry no note: nothing to reconcile.
    unfiltered = page_html(analyst, UNFILTERED, language)
    assert not any(_tile_notes(unfiltered).values())
    assert 'class="help agency-basis"' not in unfiltered


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_the_definitions_say_which_agency_and_which_day(analyst, language):
    texts = TEXTS[language]
    definitions = list(_definitions(page_html(analyst, UNFILTERED, language)).values())
    assert len(definitions) == 7
    inspections, findings = definitions[:4], definitions[4:]
    for text in inspections:
        assert texts["inspections_agency"] in text, text
    for text in findings:
        assert texts["findings_agency"] in text, text
        assert texts["findings_day"] in text, text
