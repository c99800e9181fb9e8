"""An operation's targets are active sites, whichever way the planner names them.

Adding targets (``POST …/targets/``) and the console's list take active sites alone; editing the
operation (``PATCH``, whose ``targets`` replace the whole list) took any site, and a venue closed
in the registry became a target the teams would be sent to. It is now refused there too (404,
each named), and the list is unchanged.
"""

from __future__ import annotations

import pytest

from backend.registry.models import Site

pytestmark = pytest.mark.django_db


def _targets(operation) -> list:
    return sorted(operation.targets.values_list("site__uuid", flat=True))


def test_a_closed_site_named_in_an_edit_is_refused(api, operation, city, paula):
    closed = city["venues"][0]
    before = _targets(operation)
    Site.objects.filter(pk=closed.pk).update(is_active=False)  # closed by the registry's import
    response = api.as_(paula).patch(
        f"/api/v1/planning/operations/{operation.uuid}/",
        {"targets": [{"site": str(closed.uuid)}, {"site": str(city["venues"][1].uuid)}]},
        format="json",
    )
    assert response.status_code == 404, response.content
    assert response.json()["errors"]["targets"] == [str(closed.uuid)]
    assert _targets(operation) == before


def test_open_sites_named_in_an_edit_are_the_targets(api, operation, city, paula):
    response = api.as_(paula).patch(
        f"/api/v1/planning/operations/{operation.uuid}/",
        {"targets": [{"site": str(city["venues"][1].uuid), "wave": "W1"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert _targets(operation) == [city["venues"][1].uuid]
