"""An agency's administrator, about to delete a shared record (a site, a company), is not shown what
of other agencies depends on it, and cannot delete it while something of theirs does.

Django's delete page lists every related record that would go with the object or that protects it:
the labour bureau's administrator, opening the delete page of the police's sealed raid target, read
"Inspection: prostitution and human trafficking @ Raid target" and its date, linked, the day before
the raid. The world is tests/console/test_admin_operational_scope.py's: PSP leads the sealed raid
and a joint sweep DSAL takes part in; Dina administers DSAL; "boot" is a login with no officer
record. Everyone signs in through the console's sign-in page.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from backend.registry import services as registry
from backend.registry.models import ConflictOfInterest, Site
from scheduler.models import Target
from tests import factories
from tests.console.test_admin_operational_scope import (  # noqa: F401 (fixtures)
    SEALED,
    World,
    boot,
    dina,
    world,
)

pytestmark = pytest.mark.django_db

REFUSED = "cannot be deleted: records of other agencies depend on it"
REFUSED_SELECTED = "cannot be deleted: records of other agencies depend on them"


def _page(client: Client, site: Site) -> str:
    response = client.get(f"/admin/registry/site/{site.pk}/delete/")
    assert response.status_code == 200
    return response.content.decode()


def _bulk(client: Client, *sites: Site, confirmed: bool = False) -> str:
    data = {"action": "delete_selected", "_selected_action": [s.pk for s in sites]}
    if confirmed:
        data["post"] = "yes"
    response = client.post("/admin/registry/site/", data)
    return response.content.decode() if response.status_code == 200 else ""


def _change_url(obj) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def _site_with_a_conflict(officer, name: str) -> tuple[Site, ConflictOfInterest]:
    """A site nothing but an officer's declared tie depends on: deleting the site deletes the tie
    (on_delete CASCADE), which Django's page offered to do whosever it was."""
    site = factories.site(name_en=name)
    return site, registry.conflict_declare(actor=None, officer=officer, reason="cousin runs it", site=site)


def test_her_delete_page_of_the_raid_target_names_nothing_of_the_sealed_operation(dina, world: World):  # noqa: F811
    inspection = world.sealed_inspection
    page = _page(dina, inspection.site)
    assert SEALED not in page
    assert str(inspection) not in page  # "prostitution and human trafficking @ Raid target <date>"
    assert _change_url(inspection) not in page
    assert REFUSED in page
    assert "Records of other agencies: 1" in page
    assert 'name="post"' not in page  # no delete offered


def test_a_sealed_operations_scheduler_target_is_not_named_either(dina, world: World):  # noqa: F811
    """A scheduler's target is a shared model's record, but goes with its operation: it is named
    after it ("Harbour raid (sealed): Raid target")."""
    site = world.sealed_inspection.site
    target = Target.objects.create(operation=world.sealed, site=site)
    page = _page(dina, site)
    assert SEALED not in page and _change_url(target) not in page
    assert "Records of other agencies: 2" in page


def test_her_post_deletes_nothing_of_another_agency(dina, world: World, alice):  # noqa: F811
    site, alices = _site_with_a_conflict(alice, "Alice's cousin's bar")  # Alice is PSP's
    assert str(alices) not in _page(dina, site)
    for target in (site, world.sealed_inspection.site):
        dina.post(f"/admin/registry/site/{target.pk}/delete/", {"post": "yes"})
    assert Site.objects.filter(pk=site.pk).exists()
    assert ConflictOfInterest.objects.filter(pk=alices.pk).exists()
    assert Site.objects.filter(pk=world.sealed_inspection.site_id).exists()
    assert type(world.sealed_inspection).objects.filter(pk=world.sealed_inspection.pk).exists()


def test_the_bulk_delete_names_nothing_and_deletes_nothing(dina, world: World, alice):  # noqa: F811
    site, alices = _site_with_a_conflict(alice, "Alice's cousin's bar")
    raid_target = world.sealed_inspection.site
    page = _bulk(dina, raid_target, site)
    assert SEALED not in page and str(world.sealed_inspection) not in page and str(alices) not in page
    assert REFUSED_SELECTED in page
    assert "Records of other agencies: 2" in page
    assert 'name="post"' not in page
    _bulk(dina, site, confirmed=True)
    assert Site.objects.filter(pk=site.pk).exists()
    assert ConflictOfInterest.objects.filter(pk=alices.pk).exists()


def test_her_agencys_records_are_listed_and_a_site_of_hers_alone_is_deleted(dina, world: World, bob, alice):  # noqa: F811
    # The joint sweep's site: its inspection (the joint operation's) and DSAL's case are hers;
    # the police's case, due work and referral are not.
    page = _page(dina, world.joint.site)
    assert _change_url(world.joint.inspection) in page
    assert _change_url(world.dsal_case) in page
    assert _change_url(world.psp_case) not in page
    assert _change_url(world.psp_referral) not in page
    assert REFUSED in page

    # Bob's tie to a bar is DSAL's: listed, counted, and deleted with the site, as Django would.
    mine, bobs = _site_with_a_conflict(bob, "Bob's cousin's bar")
    theirs, alices = _site_with_a_conflict(alice, "Alice's cousin's bar")
    page = _page(dina, mine)
    assert _change_url(bobs) in page
    assert "Conflicts of interest: 1" in page  # the summary
    assert REFUSED not in page and 'name="post"' in page
    dina.post(f"/admin/registry/site/{mine.pk}/delete/", {"post": "yes"})
    dina.post(f"/admin/registry/site/{theirs.pk}/delete/", {"post": "yes"})
    assert not Site.objects.filter(pk=mine.pk).exists()
    assert not ConflictOfInterest.objects.filter(pk=bobs.pk).exists()
    assert ConflictOfInterest.objects.filter(pk=alices.pk).exists()


def test_the_refusal_is_in_portuguese(dina, world: World):  # noqa: F811
    dina.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt"
    page = _page(dina, world.sealed_inspection.site)
    assert (
        "Não é possível remover «Raid target»: há registos de outros serviços que dependem deste registo."
        in page
    )
    assert "Registos de outros serviços: 1" in page


def test_a_login_with_no_officer_record_sees_what_she_does_not(boot, dina, world: World):  # noqa: F811
    inspection = world.sealed_inspection
    assert _change_url(inspection) in _page(boot, inspection.site)  # Django's full list
    assert "Records of other agencies" not in _page(boot, inspection.site)
    assert _change_url(inspection) not in _page(dina, inspection.site)
