"""Every admin form that shows a stored date and time shows it to the second, and a save with
nothing changed keeps the stored value, microseconds and all: no row changes and the audit log
records nothing. Before, each such save wrote the value back cut to the second (a compliance
case's, an operation's, a shift's times), and a form whose time has a default (a conflict's
"declared at") could have it audited as a change nobody made. A real change is saved and audited
as before. The forms are posted as the page renders them, by an administrator signed in through
the sign-in page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import lxml.html
import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from backend.audit.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

# Stored to the microsecond, as a time taken from the clock is.
AT = dt.datetime(2026, 12, 4, 13, 0, 5, 654321, tzinfo=dt.UTC)


def _availability() -> models.Model:
    from backend.registry.services import availability_add

    bob = factories.officer("PSP", username="bob")
    return availability_add(
        actor=None, officer=bob, kind="shift", start=AT, end=AT + dt.timedelta(hours=8, microseconds=7)
    )


def _conflict() -> models.Model:
    from backend.registry.models import ConflictOfInterest
    from backend.registry.services import conflict_declare

    bob = factories.officer("PSP", username="bob")
    row = conflict_declare(actor=None, officer=bob, site=factories.site(), reason="A cousin runs it.")
    ConflictOfInterest.objects.filter(pk=row.pk).update(declared_at=AT)
    return row


def _operation() -> models.Model:
    from backend.inspections.services import operation_create

    return operation_create(
        actor=None,
        name="Night of the 4th",
        lead_agency=factories.agency("PSP"),
        starts_at=AT,
        ends_at=AT + dt.timedelta(hours=6, microseconds=11),
        reveal_at=AT - dt.timedelta(hours=2, microseconds=13),
    )


def _inspection() -> models.Model:
    from backend.checklists.selectors import template_version_latest
    from backend.checklists.services import checklists_load_builtin
    from backend.inspections.services import inspection_issue

    checklists_load_builtin()
    return inspection_issue(
        actor=None,
        site=factories.site(),
        category="prostitution_trafficking",
        template_version=template_version_latest(code="venue_prostitution_trafficking"),
        planned_start=AT,
        planned_end=AT + dt.timedelta(hours=1, microseconds=3),
        agency=factories.agency("PSP"),
    )


def _wave() -> models.Model:
    from scheduler.services import operation_plan_create

    planner = factories.officer("PSP", username="paula", roles=("planner",))
    operation = operation_plan_create(
        actor=None,
        planner=planner,
        name="Night of the 4th",
        lead_agency=planner.agency,
        agencies=[],
        starts_at=AT - dt.timedelta(hours=1),
        ends_at=AT + dt.timedelta(hours=6),
        reveal_at=AT - dt.timedelta(hours=3),
        muster_unit=planner.unit,
        waves=[("A", AT)],
    )
    return operation.waves.get()


# Each admin whose change form shows a date and time, and how to make one of its objects.
OBJECTS: dict[str, Callable[[], models.Model]] = {
    "registry.availability": _availability,
    "registry.conflictofinterest": _conflict,
    "inspections.operation": _operation,
    "inspections.inspection": _inspection,
    "scheduler.wave": _wave,
}


def _admin_request() -> Any:
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_staff=True, is_superuser=True, is_active=True)
    return request


def _date_time_fields(form_class: type[forms.BaseForm]) -> list[str]:
    return [n for n, f in form_class.base_fields.items() if isinstance(f, forms.SplitDateTimeField)]


def test_every_admin_form_showing_a_date_and_time_is_checked_here():
    request = _admin_request()
    shown = set()
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_change_permission(request):
            continue
        if _date_time_fields(model_admin.get_form(request)):
            shown.add(model._meta.label_lower)
        for inline in model_admin.get_inline_instances(request):
            if _date_time_fields(inline.get_formset(request).form):
                shown.add(f"{model._meta.label_lower} inline {inline.model._meta.label_lower}")
    assert shown == set(OBJECTS)


def test_every_date_and_time_in_the_admin_keeps_its_stored_value():
    """The admin's own forms, inlines and list_editable alike, take their date-time field from
    one place."""
    from backend.console.admin_site import StoredDateTimeField

    request = _admin_request()
    for model_admin in admin.site._registry.values():
        form_classes = [model_admin.get_form(request)]
        form_classes += [i.get_formset(request).form for i in model_admin.get_inline_instances(request)]
        for form_class in form_classes:
            for name in _date_time_fields(form_class):
                assert isinstance(form_class.base_fields[name], StoredDateTimeField), (model_admin, name)


def _change_form(client, obj: models.Model) -> tuple[str, dict[str, list[str]]]:
    """The change page's URL and what its form posts as the page stands (as a browser would:
    hidden initial values included), with Save pressed."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = lxml.html.fromstring(page.content.decode()).get_element_by_id(f"{obj._meta.model_name}_form")
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    data["_save"] = ["Save"]
    return url, data


def _stored(obj: models.Model) -> dict[str, Any]:
    """The row as stored, but for a time of the last save (auto_now), which any save moves."""
    fresh = type(obj).objects.get(pk=obj.pk)
    return {
        f.name: f.value_from_object(fresh)
        for f in obj._meta.concrete_fields
        if not getattr(f, "auto_now", False)
    }


@pytest.mark.parametrize("label", sorted(OBJECTS))
def test_saving_unchanged_keeps_every_stored_time_and_audits_nothing(admin_console, label):
    obj = OBJECTS[label]()
    before = _stored(obj)
    assert any(isinstance(v, dt.datetime) and v.microsecond for v in before.values())
    url, data = _change_form(admin_console, obj)
    entries = AuditEntry.objects.count()  # after the page's read, which some admins audit

    saved = admin_console.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors

    assert _stored(obj) == before
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize("label", sorted(OBJECTS))
def test_a_time_changed_in_the_form_is_saved_and_audited(admin_console, label):
    obj = OBJECTS[label]()
    before = _stored(obj)
    url, data = _change_form(admin_console, obj)
    # The first date and time on the form, a minute later.
    name = next(k[: -len("_1")] for k in data if k.endswith("_1") and f"{k[:-2]}_0" in data)
    shown = dt.datetime.fromisoformat(f"{data[f'{name}_0'][0]} {data[f'{name}_1'][0]}")
    later = shown + dt.timedelta(minutes=1)
    data[f"{name}_1"] = [later.strftime("%H:%M:%S")]

    saved = admin_console.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors

    assert _stored(obj)[name] == timezone.make_aware(later)
    entry = AuditEntry.objects.filter(verb=f"admin_{obj._meta.model_name}_update").get()
    assert entry.actor.username == "adele"
    assert entry.changes == {name: [before[name].isoformat(), timezone.make_aware(later).isoformat()]}
