"""The targets of an operation on a registry of hundreds of sites: the page lists the targets
chosen and one page of the other sites (riskiest first, filtered by kind, parish or name, the
next page through htmx), the map's sites come from their own URL, and saving keeps the targets
listed and adds the sites ticked on any page (or picked on the map)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from backend.registry.models import Site
from scheduler.models import Target
from scheduler.pages.targets import PAGE_SIZE
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "candidates"}


@pytest.fixture
def many_sites(city):
    """Sixty construction sites, riskier than the city's venues, in two parishes."""
    return [
        factories.site(
            Site.Kind.CONSTRUCTION_SITE,
            name_en=f"Works {n:02d}",
            parish="se" if n % 2 else "fatima",
            risk_score=Decimal(90) - n,
        )
        for n in range(60)
    ]


def _url(operation, query=""):
    return f"/planning/operations/{operation.uuid}/{query}"


def test_the_page_lists_every_target_and_one_page_of_the_other_sites(planner_client, operation, many_sites):
    page = planner_client.get(_url(operation)).content.decode()
    for target in operation.targets.select_related("site"):
        assert f'id="site-{target.site.uuid}" form="targets-form" checked' in page
    shown = [s for s in many_sites if f'id="site-{s.uuid}"' in page]
    assert shown == many_sites[:PAGE_SIZE]  # riskiest first, one page
    assert "Page 1 of 3" in page and "Next page" in page
    assert 'id="targets-data"' in page and f"/planning/operations/{operation.uuid}/sites/" in page


def test_the_next_page_and_the_filters_come_as_a_partial(planner_client, operation, many_sites, city):
    second = planner_client.get(_url(operation, "?page=2"), **HTMX).content.decode()
    assert "<html" not in second and "Page 2 of 3" in second
    assert [s for s in many_sites if f'id="site-{s.uuid}"' in second] == many_sites[PAGE_SIZE : 2 * PAGE_SIZE]
    venues = planner_client.get(_url(operation, "?kind=venue"), **HTMX).content.decode()
    targeted = {t.site_id for t in operation.targets.all()}
    for venue in city["venues"]:
        assert (f'id="site-{venue.uuid}"' in venues) is (venue.pk not in targeted)  # targets are above
    assert not any(f'id="site-{s.uuid}"' in venues for s in many_sites)
    in_se = planner_client.get(_url(operation, "?kind=construction_site&parish=se"), **HTMX).content.decode()
    assert "30 other sites match" in in_se and f'id="site-{many_sites[1].uuid}"' in in_se
    named = planner_client.get(_url(operation, "?q=works+07"), **HTMX).content.decode()
    assert "1 other site matches" in named and f'id="site-{many_sites[7].uuid}"' in named
    assert (
        "No other site matches." in planner_client.get(_url(operation, "?q=nowhere"), **HTMX).content.decode()
    )


def test_a_bad_filter_shows_the_first_page_unfiltered(planner_client, operation, many_sites):
    page = planner_client.get(_url(operation, "?kind=castle&page=x")).content.decode()
    assert f'id="site-{many_sites[0].uuid}"' in page


def test_saving_keeps_the_targets_and_adds_sites_of_any_page(planner_client, operation, many_sites):
    kept = list(operation.targets.values_list("site__uuid", flat=True))
    far = many_sites[55]  # on page 3, or picked on the map
    response = planner_client.post(
        _url(operation, "targets/"),
        {"site": [*map(str, kept), str(far.uuid)], f"wave-{far.uuid}": "W2"},
    )
    assert response.status_code == 302
    targets = {
        t.site_id: t.wave.code if t.wave_id else None for t in Target.objects.filter(operation=operation)
    }
    assert targets[far.pk] == "W2" and len(targets) == len(kept) + 1


def test_the_map_reads_every_active_site_from_its_own_url(planner_client, operation, many_sites, city):
    closed = factories.site(name_en="Closed bar", is_active=False)
    response = planner_client.get(_url(operation, "sites/"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    sites = {s["id"]: s for s in json.loads(response.content)["sites"]}
    assert str(closed.uuid) not in sites
    assert len(sites) == Site.objects.filter(is_active=True).count()
    venue = sites[str(city["venues"][0].uuid)]
    assert venue["name"] == city["venues"][0].name_en and "18:00–04:00" in venue["hours"]
    assert venue["kind"].startswith("venue") and venue["lat"] == float(city["venues"][0].latitude)
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    works = next(s for s in json.loads(planner_client.get(_url(operation, "sites/")).content)["sites"])
    assert works["kind"] != "construction site"  # in the reader's language


@pytest.mark.django_db(transaction=True)
def test_the_targets_page_and_its_map_data_read_in_bounded_queries(
    planner_client, operation, city, django_assert_max_num_queries
):
    def counts() -> tuple[int, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as page:
            assert planner_client.get(_url(operation)).status_code == 200
        with CaptureQueriesContext(connection) as data:
            assert planner_client.get(_url(operation, "sites/")).status_code == 200
        return len(page), len(data)

    for n in range(5):
        factories.site(name_en=f"Few {n}")
    few = counts()
    for n in range(80):
        factories.site(name_en=f"More {n:02d}")
    assert counts() == few
    with django_assert_max_num_queries(20):
        planner_client.get(_url(operation))
    with django_assert_max_num_queries(10):
        planner_client.get(_url(operation, "sites/"))
    with django_assert_max_num_queries(18):
        planner_client.get(_url(operation, "?page=2"), **HTMX)


def test_lists_of_checkboxes_are_fieldsets_with_a_legend_not_nested_labels(planner_client, operation):
    page = planner_client.get(_url(operation)).content.decode()
    kinds = page[page.index('<div id="id_kinds">') - 200 : page.index('<div id="id_kinds">')]
    assert (
        '<fieldset class="choices"><legend>Kinds</legend>' in kinds and '<label class="check">' not in kinds
    )
    form = planner_client.get("/planning/operations/new/").content.decode()
    assert "<legend>Participating agencies</legend>" in form
    assert '<label class="check"><input type="checkbox" name="female_officer"' in form
