"""Target selection is not by risk alone: a share of every selection is drawn at random among
the other matching sites, with a recorded seed, and the operation says which came by which."""

from __future__ import annotations

from decimal import Decimal

from django.test import override_settings

from backend.registry.models import Site
from scheduler import services
from tests import factories


def _venues(n=10):
    sites = [factories.site(name_en=f"Venue {i:02d}", parish="se") for i in range(n)]
    for i, site in enumerate(sites):
        Site.objects.filter(pk=site.pk).update(risk_score=Decimal(100 - i * 10))  # Venue 00 riskiest
    return sites


def test_a_share_of_the_selection_is_drawn_from_below_the_riskiest(db):
    _venues()
    chosen = services.site_draw(parishes=["se"], limit=5, random_share_percent=40, seed=7)
    assert [s.name_en for s in chosen.by_risk] == ["Venue 00", "Venue 01", "Venue 02"]
    assert len(chosen.by_draw) == 2
    assert all(s.name_en >= "Venue 03" for s in chosen.by_draw)  # drawn among the rest
    again = services.site_draw(parishes=["se"], limit=5, random_share_percent=40, seed=7)
    assert again.by_draw == chosen.by_draw  # the seed shows the same draw again


def test_over_many_seeds_every_low_risk_site_can_be_drawn(db):
    _venues()
    drawn = set()
    for seed in range(60):
        drawn |= {s.name_en for s in services.site_draw(parishes=["se"], limit=5, seed=seed).by_draw}
    assert "Venue 09" in drawn  # the lowest risk is not safe from a visit


@override_settings(SCHEDULER_RANDOM_SHARE_PERCENT=20)
def test_the_operation_records_which_targets_came_by_risk_and_which_by_draw(api, paula, operation):
    _venues()
    response = api.as_(paula).post(
        f"/api/v1/planning/operations/{operation.uuid}/targets/",
        {"parishes": ["se"], "limit": 5, "seed": 11},
        format="json",
    )
    assert response.status_code == 200, response.content
    added = [t for t in response.json()["targets"] if t["name"].startswith("Venue")]
    by = sorted((t["chosen_by"], t["draw_seed"]) for t in added)
    assert by == [("draw", 11), ("risk", None), ("risk", None), ("risk", None), ("risk", None)]  # 20 % of 5
    named = [t for t in response.json()["targets"] if not t["name"].startswith("Venue")]
    assert {t["chosen_by"] for t in named} == {"planner"}


def test_a_share_outside_0_to_100_is_refused(api, paula, operation):
    response = api.as_(paula).post(
        f"/api/v1/planning/operations/{operation.uuid}/targets/",
        {"parishes": ["se"], "random_share": 150},
        format="json",
    )
    assert response.status_code == 400


def test_a_selection_leaves_sites_already_targeted_as_they_are(paula, operation, city):
    """The walker's case: a selection added over targets named by hand relabelled one of them
    'by risk', moved it into the selection's wave and counted it as added."""
    _venues()
    named = Site.objects.get(name_en="Venue 01")
    services.operation_targets_set(actor=None, operation=operation, sites=[named], wave="W1")
    before = operation.targets.count()
    selection = services.site_draw(parishes=["se"], limit=5, random_share_percent=40, seed=7)
    assert named in selection.by_risk
    drawn = services.operation_targets_draw(actor=None, operation=operation, selection=selection, wave="W2")
    assert operation.targets.count() == before + 4
    assert (len(drawn.by_risk), len(drawn.by_draw)) == (2, 2) and drawn.already == [named]
    kept = operation.targets.get(site=named)
    assert (kept.chosen_by, kept.wave.code, kept.draw_seed) == ("planner", "W1", None)
    assert all(t.wave.code == "W2" for t in drawn.by_risk + drawn.by_draw)
