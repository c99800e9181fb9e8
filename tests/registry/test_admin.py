"""The registry in the Django admin: every page opens with data present, every save and delete
leaves an audit entry, and a site outside the service area is refused on the right field.

A small demo is loaded once for the module, in a transaction rolled back when the module ends.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from backend.audit.models import AuditEntry
from backend.demo.city import load_demo
from backend.outbox.services import task_enqueue
from backend.registry.models import (
    Agency,
    Availability,
    Company,
    ConflictOfInterest,
    Officer,
    Site,
    Skill,
    Unit,
)
from tests.conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db

# A point in Fátima, inside the service area.
INSIDE = ("22.210000", "113.545000")


@pytest.fixture(scope="module")
def small_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        result = load_demo(
            seed=11, start=dt.date(2026, 1, 5), scale=0.1, logins_file=tmp_path_factory.mktemp("d") / "l.json"
        )
        yield result
        transaction.set_rollback(True)


@pytest.fixture
def admin(small_demo, client):
    user = get_user_model().objects.get(username="demo-admin")
    assert user.is_superuser
    password = next(login.password for login in small_demo.logins if login.username == "demo-admin")
    signed_in(client, user, password=password)
    client.user = user
    return client


@pytest.fixture
def root(small_demo, client):
    """A login with no officer record (``createsuperuser``'s): it manages every agency's records,
    where demo-admin, PSP's administrator, manages PSP's (tests/registry/test_admin_agency_scope.py)."""
    user = get_user_model().objects.create_superuser("root", "root@example.invalid", PASSWORD)
    signed_in(client, user)
    return client


def _psp() -> str:
    return str(Agency.objects.get(code="PSP").pk)


# model, a search that finds something, a filter a clerk would use
PAGES = [
    (Agency, "PSP", lambda: {"inspects__exact": "1"}),
    (Unit, "psp", lambda: {"agency__id__exact": _psp(), "parish__exact": "fatima"}),
    (Skill, "lang", lambda: {"kind__exact": "language"}),
    (Officer, "PSP", lambda: {"agency__id__exact": _psp(), "role": "inspector", "sex__exact": "F"}),
    (
        Availability,
        "",
        lambda: {"kind__exact": "shift", "officer__agency__id__exact": _psp(), "start__year": "2026"},
    ),
    (Company, "Construction", lambda: {"kind__exact": "contractor", "is_active__exact": "1"}),
    (
        Site,
        "Karaoke",
        lambda: {
            "kind__exact": "venue",
            "venue_type__exact": "karaoke",
            "parish__exact": "se",
            "licence_status__exact": "valid",
            "is_active__exact": "1",
        },
    ),
    (ConflictOfInterest, "", lambda: {"officer__agency__id__exact": _psp()}),
]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize(("model", "search", "filters"), PAGES, ids=[p[0].__name__ for p in PAGES])
def test_every_registry_page_opens_with_data(root, model, search, filters):
    admin = root
    assert model.objects.exists()
    response = admin.get(_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count()

    response = admin.get(_url(model, "changelist"), {"q": search})
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1

    # An unknown lookup would redirect to ?e=1; a working filter answers 200.
    response = admin.get(_url(model, "changelist"), filters())
    assert response.status_code == 200

    assert admin.get(_url(model, "add")).status_code == 200
    assert admin.get(_url(model, "change", model.objects.order_by("pk").first().pk)).status_code == 200
    assert admin.get(_url(model, "delete", model.objects.order_by("pk").first().pk)).status_code == 200


def test_audit_and_outbox_pages_open_with_data(admin):
    task_enqueue(task_name="registry.example", kwargs={"site": "x"})
    entry = AuditEntry.objects.get(verb="load_demo")
    for url in (
        "/admin/audit/auditentry/",
        "/admin/audit/auditentry/?q=load_demo&action__exact=create",
        reverse("admin:audit_auditentry_change", args=[entry.pk]),
        "/admin/outbox/outboxmessage/",
        "/admin/outbox/outboxmessage/?q=registry",
    ):
        assert admin.get(url).status_code == 200, url


def test_admin_save_and_delete_leave_audit_entries(root):
    # Agencies are added, renamed and removed by a login with no officer record alone.
    form = {
        "code": "TEST",
        "name_en": "Test Bureau",
        "name_zh_hant": "測試局",
        "name_pt": "",
        "inspects": "on",
    }
    response = root.post(_url(Agency, "add"), form)
    assert response.status_code == 302
    agency = Agency.objects.get(code="TEST")
    created = AuditEntry.objects.get(verb="admin_agency_create")
    assert created.action == AuditEntry.Action.CREATE
    assert created.actor.username == "root" and created.object_id == str(agency.pk)
    assert created.changes["code"] == [None, "TEST"]
    assert created.ip_address == "127.0.0.1"

    root.post(_url(Agency, "change", agency.pk), {**form, "name_en": "Renamed Bureau"})
    updated = AuditEntry.objects.get(verb="admin_agency_update")
    assert updated.changes == {"name_en": ["Test Bureau", "Renamed Bureau"]}

    root.post(_url(Agency, "delete", agency.pk), {"post": "yes"})
    assert not Agency.objects.filter(code="TEST").exists()
    deleted = AuditEntry.objects.get(verb="admin_agency_delete")
    assert deleted.object_id == str(agency.pk) and deleted.action == AuditEntry.Action.DELETE


def test_bulk_delete_audits_each_object(admin):
    skills = [
        Skill.objects.create(code=f"test-{i}", kind="qualification", name_en=f"Test {i}") for i in range(3)
    ]
    response = admin.post(
        _url(Skill, "changelist"),
        {"action": "delete_selected", "_selected_action": [s.pk for s in skills], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Skill.objects.filter(code__startswith="test-").exists()
    entries = AuditEntry.objects.filter(verb="admin_skill_delete")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(str(s.pk) for s in skills)


def _site_form(**overrides) -> dict[str, str]:
    form = {
        "kind": "venue",
        "venue_type": "karaoke",
        "name_en": "Test Karaoke",
        "name_zh_hant": "測試卡拉OK",
        "name_pt": "Karaoke Teste",
        "is_active": "on",
        "address": "Rua da Ilha Verde, n.º 1, Macau",
        "parish": "fatima",
        "latitude": INSIDE[0],
        "longitude": INSIDE[1],
        "licence_status": "none",
        "opening_hours-TOTAL_FORMS": "1",
        "opening_hours-INITIAL_FORMS": "0",
        "opening_hours-MIN_NUM_FORMS": "0",
        "opening_hours-MAX_NUM_FORMS": "1000",
        "opening_hours-0-weekday": "4",
        "opening_hours-0-opens": "20:00",
        "opening_hours-0-closes": "04:00",
    }
    form.update(overrides)
    return form


def test_admin_site_save_records_fields_and_opening_hours(admin):
    response = admin.post(_url(Site, "add"), _site_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    site = Site.objects.get(name_en="Test Karaoke")
    assert [str(h) for h in site.opening_hours.all()] == ["Friday 20:00–04:00"]
    entry = AuditEntry.objects.get(verb="admin_site_create")
    assert entry.object_id == str(site.uuid)
    assert entry.changes["latitude"] == [None, INSIDE[0]]
    assert entry.changes["opening_hours"] == {"added": ["Friday 20:00–04:00"]}


def test_admin_site_records_the_on_site_contact_person_and_phone(admin):
    """The briefing's 'on-site contact': a person and a phone, kept apart from the operator."""
    page = admin.get(_url(Site, "add")).content.decode()
    assert 'name="contact_name"' in page and 'name="contact_phone"' in page
    response = admin.post(
        _url(Site, "add"), _site_form(contact_name="Chan Tai Man", contact_phone="+853 6612 3456")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    site = Site.objects.get(name_en="Test Karaoke")
    assert (site.contact_name, site.contact_phone) == ("Chan Tai Man", "+853 6612 3456")
    entry = AuditEntry.objects.get(verb="admin_site_create")
    assert entry.changes["contact_name"] == [None, "Chan Tai Man"]
    found = admin.get(_url(Site, "changelist"), {"q": "Chan Tai"}).content.decode()
    assert "Test Karaoke" in found


@pytest.mark.parametrize(
    ("field", "value"),
    [("latitude", "22.300000"), ("longitude", "113.700000"), ("latitude", "22.100000")],
)
def test_admin_refuses_a_site_outside_the_service_area(admin, field, value):
    before = AuditEntry.objects.count()
    response = admin.post(_url(Site, "add"), _site_form(**{field: value}))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert "outside the service area" in errors[field][0]
    assert "outside the service area" in response.content.decode()
    assert not Site.objects.filter(name_en="Test Karaoke").exists()
    assert AuditEntry.objects.count() == before


def test_admin_refuses_opening_hours_of_no_length(admin):
    response = admin.post(_url(Site, "add"), _site_form(**{"opening_hours-0-closes": "20:00"}))
    assert response.status_code == 200
    assert not Site.objects.filter(name_en="Test Karaoke").exists()


def test_admin_refuses_an_officer_in_another_agencys_unit(admin):
    officer = Officer.objects.filter(agency__code="PSP").first()
    dsal_unit = Unit.objects.get(code="dsal_hq")
    response = admin.get(_url(Officer, "change", officer.pk))
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "skills"}
    data.update(
        {
            "unit": dsal_unit.pk,
            "skills": [s.pk for s in officer.skills.all()],
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
        }
    )
    data["is_active"] = "on"
    response = admin.post(_url(Officer, "change", officer.pk), data)
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    officer.refresh_from_db()
    assert officer.unit.agency.code == "PSP"
