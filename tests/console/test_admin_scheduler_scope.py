"""An agency's administrator sees the scheduler's records of their own agency's operations and
programmes in the admin, not every agency's: above all, not the set-up, waves, targets and plans of
another agency's sealed operation before its reveal time (its sites and timing), which she listed,
opened and found by searching the operation's name.

The world is tests/console/test_admin_operational_scope.py's: the police (PSP) lead a sealed raid,
revealed tomorrow, and a joint construction sweep the labour bureau (DSAL) takes part in; DSAL
leads a night check of its own; Dina administers DSAL; "boot" is a login with no officer record.
Each operation here has its set-up, a wave, a target and a planning job; PSP and DSAL each have a
routine programme with a planning job.
Everyone signs in through the console's sign-in page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from backend.audit.models import AuditEntry
from backend.compliance.models import CaseEvent
from backend.inspections import services as inspections
from backend.inspections.models import Operation
from backend.registry.models import Agency
from scheduler.models import OperationSetup, PlanningJob, Programme, Target, Wave
from tests import factories
from tests.console.test_admin_operational_scope import (  # noqa: F401 (fixtures)
    SEALED,
    World,
    _listed,
    _missing,
    boot,
    dina,
    world,
)

pytestmark = pytest.mark.django_db

OWN = "Night shift check (labour bureau)"
KINDS = ("operationsetup", "wave", "target", "planningjob")


@dataclass
class Planning:
    sealed: dict[str, Any]  # the sealed raid's set-up, wave, target and job, by model name
    joint: dict[str, Any]  # the joint sweep's
    dsal: dict[str, Any]  # the labour bureau's own operation's
    psp_programme: Programme
    dsal_programme: Programme
    psp_programme_job: PlanningJob
    dsal_programme_job: PlanningJob


def _operation_planning(operation, site, unit) -> dict[str, Any]:
    wave = Wave.objects.create(operation=operation, code="w1", starts_at=operation.starts_at)
    return {
        "operationsetup": OperationSetup.objects.create(operation=operation, muster_unit=unit),
        "wave": wave,
        "target": Target.objects.create(operation=operation, site=site, wave=wave),
        "planningjob": PlanningJob.objects.create(operation=operation, status=PlanningJob.Status.SUCCEEDED),
    }


def _programme(code: str, name: str) -> tuple[Programme, PlanningJob]:
    today = timezone.localdate()
    programme = Programme.objects.create(
        name=name, agency=Agency.objects.get(code=code), start_date=today, end_date=today
    )
    return programme, PlanningJob.objects.create(programme=programme, status=PlanningJob.Status.SUCCEEDED)


@pytest.fixture
def planning(world: World) -> Planning:  # noqa: F811
    unit = factories.unit(Agency.objects.get(code="PSP"))
    sealed = _operation_planning(world.sealed, world.sealed_inspection.site, unit)
    joint = _operation_planning(world.joint.operation, factories.site(name_en="Sweep target"), unit)
    now = timezone.now()
    own = inspections.operation_create(
        actor=None,
        name=OWN,
        lead_agency=Agency.objects.get(code="DSAL"),
        reveal_at=now + dt.timedelta(days=2),
        starts_at=now + dt.timedelta(days=2, hours=1),
        ends_at=now + dt.timedelta(days=2, hours=6),
        status=Operation.Status.PUBLISHED,
    )
    dsal = _operation_planning(own, factories.site(name_en="Labour target"), unit)
    psp_programme, psp_job = _programme("PSP", "Police routine rounds")
    dsal_programme, dsal_job = _programme("DSAL", "Labour routine rounds")
    return Planning(sealed, joint, dsal, psp_programme, dsal_programme, psp_job, dsal_job)


def _url(obj, view: str = "change") -> str:
    return f"/admin/scheduler/{obj._meta.model_name}/{obj.pk}/{view}/"


def _autocomplete(
    client: Client, app_label: str, model_name: str, field_name: str, term: str = ""
) -> set[str]:
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return {r["id"] for r in response.json()["results"]}


def test_the_sealed_operations_planning_is_not_listed_and_answers_as_missing(dina, boot, planning):  # noqa: F811
    for kind in KINDS:
        path = f"/admin/scheduler/{kind}/"
        listed = _listed(dina, path)
        # PSP leads the sweep, DSAL takes part; DSAL leads its night check.
        assert {planning.joint[kind], planning.dsal[kind]} <= listed, kind
        assert planning.sealed[kind] not in listed, kind
        assert SEALED not in dina.get(path).content.decode(), kind
        for view in ("change", "history", "delete"):
            assert _missing(dina.get(_url(planning.sealed[kind], view))), (kind, view)
        assert dina.get(_url(planning.joint[kind])).status_code == 200, kind
        # A login with no officer record (createsuperuser's) still manages every agency's.
        assert {planning.sealed[kind], planning.joint[kind]} <= _listed(boot, path), kind
        assert boot.get(_url(planning.sealed[kind])).status_code == 200, kind


def test_a_search_by_the_sealed_operations_name_finds_nothing(dina, planning):  # noqa: F811
    for kind in KINDS:
        path = f"/admin/scheduler/{kind}/"
        assert _listed(dina, f"{path}?q=Harbour") == set(), kind
        assert SEALED not in dina.get(f"{path}?q=Harbour").content.decode(), kind
        assert _listed(dina, f"{path}?q=construction") == {planning.joint[kind]}, kind


def test_the_list_filters_do_not_name_the_sealed_operation(dina, planning, world):  # noqa: F811
    for kind in ("wave", "target", "planningjob"):
        path = f"/admin/scheduler/{kind}/"
        page = dina.get(path)
        (spec,) = [s for s in page.context["cl"].filter_specs if getattr(s, "field_path", "") == "operation"]
        offered = {pk for pk, _name in spec.lookup_choices}
        assert offered == {world.joint.operation.pk, planning.dsal[kind].operation_id}, kind
        # Asked for by its id all the same: nothing of it.
        assert _listed(dina, f"{path}?operation__id__exact={world.sealed.pk}") == set(), kind


def test_the_pickers_do_not_offer_the_sealed_operation_or_its_waves(dina, boot, planning, world):  # noqa: F811
    operations = {str(world.joint.operation.pk), str(planning.dsal["wave"].operation_id)}
    for kind in ("operationsetup", "wave", "target"):
        assert _autocomplete(dina, "scheduler", kind, "operation") == operations, kind
        assert _autocomplete(dina, "scheduler", kind, "operation", term="Harbour") == set(), kind
    waves = {str(planning.joint["wave"].pk), str(planning.dsal["wave"].pk)}
    assert _autocomplete(dina, "scheduler", "target", "wave") == waves
    assert _autocomplete(dina, "scheduler", "target", "wave", term="Harbour") == set()
    assert str(planning.sealed["wave"].pk) in _autocomplete(boot, "scheduler", "target", "wave")
    assert _autocomplete(dina, "scheduler", "planningjob", "replan_of") == {
        str(planning.joint["planningjob"].pk),
        str(planning.dsal["planningjob"].pk),
        str(planning.dsal_programme_job.pk),
    }
    # The add forms' choices (a target's operation and wave) name her agency's operations alone.
    for kind in ("operationsetup", "wave", "target"):
        page = dina.get(f"/admin/scheduler/{kind}/add/")
        assert page.status_code == 200, kind
        assert SEALED not in page.content.decode(), kind


def test_a_target_cannot_be_put_in_the_sealed_operation(dina, planning, world):  # noqa: F811
    site = factories.site(name_en="Intruders' pick")
    response = dina.post(
        "/admin/scheduler/target/add/",
        {
            "operation": world.sealed.pk,
            "site": site.pk,
            "priority": 3,
            "category": "x",
            "chosen_by": "planner",
        },
    )
    assert response.status_code == 200
    assert "operation" in response.context["adminform"].form.errors
    assert not Target.objects.filter(site=site).exists()
    dina.post(
        "/admin/scheduler/target/",
        {"action": "delete_selected", "_selected_action": [planning.sealed["target"].pk], "post": "yes"},
    )
    assert Target.objects.filter(pk=planning.sealed["target"].pk).exists()


def test_another_agencys_programme_and_its_jobs_are_not_hers(dina, boot, planning):  # noqa: F811
    assert _listed(dina, "/admin/scheduler/programme/") == {planning.dsal_programme}
    assert _missing(dina.get(_url(planning.psp_programme)))
    assert _listed(dina, "/admin/scheduler/programme/?q=Police") == set()
    jobs = _listed(dina, "/admin/scheduler/planningjob/")
    assert planning.dsal_programme_job in jobs and planning.psp_programme_job not in jobs
    assert _missing(dina.get(_url(planning.psp_programme_job)))
    assert _listed(dina, "/admin/scheduler/planningjob/?q=Police") == set()
    # Nor offered by a picker, whichever form it is asked for.
    assert _autocomplete(dina, "scheduler", "planningjob", "programme") == {str(planning.dsal_programme.pk)}
    # A new programme is her agency's.
    page = dina.get("/admin/scheduler/programme/add/")
    agencies = {a.pk for a in page.context["adminform"].form.fields["agency"].queryset}
    assert agencies == {Agency.objects.get(code="DSAL").pk}
    # A login with no officer record sees both agencies' programmes.
    both = {planning.psp_programme, planning.dsal_programme}
    assert _listed(boot, "/admin/scheduler/programme/") == both
    assert _autocomplete(boot, "scheduler", "planningjob", "programme") == {str(p.pk) for p in both}


def test_no_picker_offers_another_agencys_compliance_case(dina, world):  # noqa: F811
    """A picker's search may be asked for any field: a case event's case (a shared model's form,
    were it one) listed every agency's cases."""
    assert CaseEvent._meta.get_field("case").related_model is type(world.dsal_case)
    assert _autocomplete(dina, "compliance", "caseevent", "case") == {str(world.dsal_case.pk)}


def test_her_reads_of_the_scheduler_are_audited(dina, planning):  # noqa: F811
    dina.get("/admin/scheduler/target/")
    dina.get(_url(planning.joint["target"]))
    entries = AuditEntry.objects.filter(actor__username="dina", object_type="scheduler.target")
    assert set(entries.values_list("verb", flat=True)) >= {"admin_list", "admin_view"}


def test_the_systems_entries_about_the_sealed_operation_are_not_in_her_audit_log(dina, boot, planning):  # noqa: F811
    """The system's own entries (no actor) were every administrator's to read: a planning job the
    worker lost is recorded as "plan of Harbour raid (sealed) (failed)", the sealed operation's
    name in the labour bureau's audit log before its reveal."""
    from backend.audit.services import audit_record

    lost = {
        name: audit_record(
            actor=None, action="update", verb="planning_worker_lost", obj=planning_for["planningjob"]
        )
        for name, planning_for in (("sealed", planning.sealed), ("joint", planning.joint))
    }
    about_the_operation = audit_record(
        actor=None, action="update", verb="plan_recheck", obj=planning.sealed["wave"].operation
    )
    assert SEALED in lost["sealed"].object_repr or SEALED in about_the_operation.object_repr

    # One verb a page: the set-up's own entries fill the log's first page.
    listed = _listed(dina, "/admin/audit/auditentry/?verb=planning_worker_lost")
    rechecks = _listed(dina, "/admin/audit/auditentry/?verb=plan_recheck")
    assert lost["joint"] in listed
    assert lost["sealed"] not in listed and about_the_operation not in rechecks
    assert SEALED not in dina.get("/admin/audit/auditentry/?q=planning_worker_lost").content.decode()
    assert _missing(dina.get(f"/admin/audit/auditentry/{lost['sealed'].pk}/change/"))
    # A login with no officer record (createsuperuser's) reads every entry.
    assert {lost["sealed"], lost["joint"]} <= _listed(
        boot, "/admin/audit/auditentry/?verb=planning_worker_lost"
    )
    assert about_the_operation in _listed(boot, "/admin/audit/auditentry/?verb=plan_recheck")


def test_the_outbox_lists_only_the_tasks_of_the_administrators_agency(dina, boot, planning):  # noqa: F811
    """A planning run's task names its job: PSP's sealed raid's row (and its time) told DSAL's
    administrator that a raid was being planned. Tasks follow what they work on; the shared ones
    are everyone's, and a task of a kind the scope does not know is the system login's alone."""
    from django.contrib.auth import get_user_model

    from backend.outbox.models import OutboxMessage
    from backend.registry_import.models import RegistryImport

    def job_task(job: PlanningJob) -> OutboxMessage:
        return OutboxMessage.objects.create(task_name="scheduler.run_job", kwargs={"job_id": str(job.uuid)})

    def import_task(code: str) -> OutboxMessage:
        item = RegistryImport.objects.create(
            kind="sites",
            file_name=f"{code}.csv",
            file_format="csv",
            sha256="0" * 64,
            created_by=get_user_model().objects.get(username="boot"),
            agency=Agency.objects.get(code=code),
        )
        return OutboxMessage.objects.create(task_name="registry_import.apply", kwargs={"import_id": item.pk})

    theirs = {
        job_task(planning.sealed["planningjob"]),
        job_task(planning.psp_programme_job),
        import_task("PSP"),
        OutboxMessage.objects.create(task_name="some.new_task", kwargs={"operation_id": 1}),
    }
    ours = {
        job_task(planning.joint["planningjob"]),
        job_task(planning.dsal["planningjob"]),
        job_task(planning.dsal_programme_job),
        import_task("DSAL"),
        OutboxMessage.objects.create(task_name="reporting.refresh_rollups", kwargs={"days": []}),
        OutboxMessage.objects.create(task_name="compliance.score_recompute", kwargs={"company_id": 1}),
    }
    listed = _listed(dina, "/admin/outbox/outboxmessage/")
    assert ours <= listed
    assert not (theirs & listed)
    for message in theirs:
        assert _missing(dina.get(f"/admin/outbox/outboxmessage/{message.pk}/change/"))
    assert dina.get(f"/admin/outbox/outboxmessage/{next(iter(ours)).pk}/change/").status_code == 200
    assert ours | theirs <= _listed(boot, "/admin/outbox/outboxmessage/")
