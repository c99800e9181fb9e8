"""A site's on-site contact person and phone: who a team asks for at the door (the briefing
named the operating company instead). Registry files carry them in two optional columns; a file
made from an older template, without them, leaves the contact on record alone."""

from __future__ import annotations

import csv
import io

import pytest

from backend.registry import services as registry
from backend.registry.models import Site
from backend.registry_import import services
from backend.registry_import.models import RegistryImport
from tests import factories
from tests.registry_import.support import FILES, apply, upload

pytestmark = pytest.mark.django_db

HEADER = "external_id,name_en,kind,venue_type,address,parish,latitude,longitude,contact_name,contact_phone\n"


@pytest.fixture
def admin_psp(db):
    return factories.officer("PSP", username="admin-psp", roles=("administrator",))


def _import(capture, user, name: str, data: bytes) -> RegistryImport:
    item = upload(capture, user, "sites", name, data)
    assert item.status == RegistryImport.Status.READY, item.file_problems
    return apply(capture, user, item)


def test_a_registry_file_records_the_contact_person_and_phone(django_capture_on_commit_callbacks, admin_psp):
    row = "S-9,Golden Lotus Karaoke,venue,karaoke,Rua de Pequim 126,se,22.1921,113.5473,Chan Tai Man,{}\n"
    row = row.format("+853 6612 3456")
    _import(django_capture_on_commit_callbacks, admin_psp.user, "sites.csv", (HEADER + row).encode())
    site = Site.objects.get(external_id="S-9")
    assert (site.contact_name, site.contact_phone) == ("Chan Tai Man", "+853 6612 3456")

    exported = services.export_file("sites", "csv", agency_id=None)
    record = next(
        r for r in csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))) if r["external_id"] == "S-9"
    )
    assert (record["contact_name"], record["contact_phone"]) == ("Chan Tai Man", "+853 6612 3456")
    again = upload(django_capture_on_commit_callbacks, admin_psp.user, "sites", "export.csv", exported)
    assert again.counts["unchanged"] == 1 and again.counts["update"] == 0


def test_a_file_without_the_contact_columns_keeps_the_contact_on_record(
    django_capture_on_commit_callbacks, admin_psp
):
    user = admin_psp.user
    _import(django_capture_on_commit_callbacks, user, "sites_bom.csv", (FILES / "sites_bom.csv").read_bytes())
    lotus = Site.objects.get(external_id="S-001")
    registry.site_update(actor=user, site=lotus, contact_name="Chan Tai Man", contact_phone="+853 6612 3456")

    again = upload(django_capture_on_commit_callbacks, user, "sites", "sites_bom.csv")
    assert again.counts["unchanged"] == 3  # the file says nothing about contacts: nothing changes
    changed = (FILES / "sites_bom.csv").read_bytes().replace(b"Rua de Pequim 126", b"Rua de Pequim 130")
    _import(django_capture_on_commit_callbacks, user, "next_month.csv", changed)
    lotus.refresh_from_db()
    assert lotus.address == "Rua de Pequim 130"
    assert (lotus.contact_name, lotus.contact_phone) == ("Chan Tai Man", "+853 6612 3456")


def test_an_empty_contact_column_clears_the_contact(django_capture_on_commit_callbacks, admin_psp):
    user = admin_psp.user
    row = "S-9,Golden Lotus Karaoke,venue,karaoke,Rua de Pequim 126,se,22.1921,113.5473,{},{}\n"
    _import(
        django_capture_on_commit_callbacks, user, "a.csv", (HEADER + row.format("Chan Tai Man", "1")).encode()
    )
    _import(django_capture_on_commit_callbacks, user, "b.csv", (HEADER + row.format("", "")).encode())
    site = Site.objects.get(external_id="S-9")
    assert (site.contact_name, site.contact_phone) == ("", "")


def test_a_contact_phone_too_long_is_refused_on_its_column(django_capture_on_commit_callbacks, admin_psp):
    row = f"S-9,Golden Lotus Karaoke,venue,karaoke,Rua de Pequim 126,se,22.1921,113.5473,Chan,{'9' * 41}\n"
    item = upload(
        django_capture_on_commit_callbacks, admin_psp.user, "sites", "s.csv", (HEADER + row).encode()
    )
    problems = [(p["column"], p["code"]) for r in item.rows.all() for p in r.problems]
    assert problems == [("contact_phone", "too_long")]
