"""The yearly report's charts drawn whole, and punctuated in the reader's language.

On the report's page each chart is an SVG image the size of its drawing: whatever lies outside
it is cut off. The category chart's axis labels hung below its bottom edge (the tails of their
commas cut, "2,000" read "2.000", a Portuguese number on an English or Chinese page), and the
Portuguese legends ran past its right edge ("inquérito por questionário em estaleiros de ob…").
"""

from __future__ import annotations

import pytest
from django.utils import translation

from backend.reporting import render

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
def test_every_chart_lies_inside_its_drawing(history, language):
    with translation.override(language):
        drawings = {
            build.__name__: build(2019, 2023) for builds in render.CHARTS.values() for build in builds
        }
    outside = {
        name: [round(v, 1) for v in drawing.getBounds()]
        for name, drawing in drawings.items()
        if not (
            drawing.getBounds()[0] >= 0
            and drawing.getBounds()[1] >= 0
            and drawing.getBounds()[2] <= drawing.width
            and drawing.getBounds()[3] <= drawing.height
        )
    }
    assert outside == {}


def test_a_legend_name_too_long_for_its_room_is_broken_into_lines():
    names = render._legend_names(
        ["inquérito por questionário em estaleiros de obras", "emprego ilegal", "建築地盤大規模巡查"],
        60,
        "Helvetica",
        7,
    )
    assert names[1] == "emprego ilegal"
    assert (
        "\n" in names[0]
        and names[0].replace("\n", " ") == "inquérito por questionário em estaleiros de obras"
    )
    assert all(render.pdfmetrics.stringWidth(line, "Helvetica", 7) <= 60 for line in names[0].split("\n"))


@pytest.mark.parametrize(
    ("language", "per_year", "names", "parish"),
    [
        ("zh-hant", "2019：1；2022：1", "Thunderbolt、Winter Precaution", "花地瑪堂區：1,234"),
        ("en", "2019: 1; 2022: 1", "Thunderbolt, Winter Precaution", "Our Lady of Fatima: 1,234"),
        ("pt", "2019: 1; 2022: 1", "Thunderbolt, Winter Precaution", "Nossa Senhora de Fátima: 1.234"),
    ],
)
def test_the_pdf_and_the_parish_map_punctuate_in_the_language(language, per_year, names, parish):
    # The Chinese PDF read "2019: 1; 2022: 1" and its map "花地瑪堂區: 2,955", half-width, where
    # the page and the dashboard write full-width punctuation.
    with translation.override(language):
        assert render._number([{"year": 2019, "cases": 1}, {"year": 2022, "cases": 1}]) == per_year
        assert render._number(["Thunderbolt", "Winter Precaution"]) == names
        drawing = render.parish_map({"fatima": 1234})
    labels = [
        s.text for s in drawing.contents if isinstance(s, render.String) and s.fontSize == render.LABEL_SIZE
    ]
    assert parish in labels
