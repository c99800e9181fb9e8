"""Every field's help text is its description for screen readers: Django points each widget's
aria-describedby at ``<id>_helptext``, and the planner's forms named the paragraph ``<id>_help``,
so "Revealed to the teams at" and the others were described by nothing."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/planning/operations/new/", "/planning/programmes/new/"])
def test_each_described_field_points_at_its_help_text(planner_client, url):
    html = planner_client.get(url).content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    for value in described:
        for target in value.split():
            assert target in ids, f"{target} describes nothing on {url}"
    if url.startswith("/planning/operations/"):
        assert "id_reveal_at_helptext" in " ".join(described) and "id_reveal_at_helptext" in ids
