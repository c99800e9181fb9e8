"""Hostile and repeated input on the console forms that only appear with data in a given state,
which the walk of tests/console/test_hostile_input.py does not reach with the role walk's world:

- a plan's workspace (``/planning/operations/<id>/plan/``): a finished draft plan with a visit
  and an officer placed by hand (move a visit, move an officer, release either, publish) and a
  published plan (re-plan after an officer drops out);
- a registry import uploaded and checked (its apply step, its map page), and the upload itself
  with hostile files rather than hostile fields;
- a compliance case whose notice's deadline has passed (its follow-up and outcome forms);
- a referral's screened person, whose details page (asked with a reason) holds the form that
  records what the person tells the officer.

The same rules hold: no answer is a server error, and a refusal (4xx) leaves every table as it
was. The world is built once for the module (its people signed in through the sign-in page and
the second factor), inside one transaction rolled back at the end.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from backend.compliance import services as compliance
from backend.compliance.models import ComplianceCase, Referral
from backend.compliance.services import violation_catalogue_load
from backend.inspections.models import Finding
from backend.registry import services as registry
from backend.registry_import import services as registry_import
from backend.registry_import.models import RegistryImport
from scheduler import services as scheduler
from scheduler.models import PlanningJob
from tests import factories
from tests.browser_support import sign_in_client
from tests.compliance.conftest import COMPLIANCE_PERSONAS, joint_build
from tests.conftest import PASSWORD, make_persona
from tests.console.test_hostile_input import HOSTILE, _encode, _Forms, _route_of, _send, _variants
from tests.core.test_role_access import FAST_HASHER, _state

SAMPLES = Path(__file__).resolve().parents[2] / "backend" / "registry_import" / "samples"
HEADER = (SAMPLES / "sites.csv").read_bytes().split(b"\n", 1)[0]
ROW = b"LIC-9,Name,,,venue,karaoke,Rua 1,fatima,22.21,113.545,Mon-Sun 20:00-02:00,,,L-1"
# Two nights in the future, a day apart: one plan stays a draft, the other is published.
NIGHT = dt.datetime(2031, 3, 7, 18, 0, tzinfo=timezone.get_default_timezone())
VENUES = [
    ("Lotus Karaoke", 22.2080, 113.5450),
    ("Jade Sauna", 22.2010, 113.5400),
    ("Pearl Club", 22.1950, 113.5480),
    ("Ruby Bar", 22.1900, 113.5460),
]


# Digits that are no ASCII digits: str.isdigit() says yes to both, int() refuses the first.
MORE_HOSTILE = {**HOSTILE, "superscript two": "%C2%B2", "arabic-indic digits": "%D9%A1%D9%A2"}


class World:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def _planned(paula, muster, venues, night, name: str) -> tuple:
    """An operation of two PSP+DSAL teams on ``night``, planned by the solver (the job run here:
    the world's transaction never commits, so the queued task would never start)."""
    op = scheduler.operation_plan_create(
        actor=paula.user,
        planner=paula,
        name=name,
        lead_agency=paula.agency,
        agencies=[factories.agency("DSAL")],
        starts_at=night,
        ends_at=night + dt.timedelta(hours=6),
        reveal_at=night - dt.timedelta(hours=1),
        muster_unit=muster,
        waves=[("W1", night + dt.timedelta(hours=1))],
        team_min_size=2,
        team_max_size=2,
        required_agencies=["PSP", "DSAL"],
    )
    scheduler.operation_targets_set(actor=paula.user, operation=op, sites=venues, wave="W1")
    job = scheduler.planning_start(actor=paula.user, operation=op, time_limit_seconds=2, seed=1)
    scheduler.planning_run(job_id=job.uuid)
    job.refresh_from_db()
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    return op, job


def _build() -> World:
    violation_catalogue_load()
    people = {n: make_persona(n) for n in ("alice", "bob", "carol", "paula")}
    people["vera"] = COMPLIANCE_PERSONAS["vera"]()
    people["adele"] = factories.officer("PSP", username="adele", roles=("administrator",), sex="F")
    carol, paula = people["carol"], people["paula"]

    # Compliance: a case whose notice's deadline has passed (its follow-up is due), and a
    # referral with its screened person.
    joint = joint_build(people["alice"], people["bob"], paula)
    joint.submit_screening(people["alice"])
    approved = joint.submit_construction(people["bob"])
    compliance.submission_approve(user=carol.user, submission=approved.submission)
    official = list(Finding.objects.filter(submission=approved.submission, competent_agency__code="DSAL"))
    case = compliance.case_open(user=carol.user, findings=official[:1], reason="Workers without permits")
    compliance.case_notice_issue(user=carol.user, case=case)
    ComplianceCase.objects.filter(pk=case.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    referral = Referral.objects.get()

    # Planning: four officers on shift both nights, four venues; one plan a draft with a visit
    # and an officer placed by hand, the other published.
    officers = [
        factories.officer("PSP", username="pat", full_name="Pat Police", sex="F", rank=5),
        factories.officer("PSP", username="pete", full_name="Pete Police", rank=3),
        factories.officer("DSAL", username="lou", full_name="Lou Labour", sex="F", rank=4),
        factories.officer("DSAL", username="lee", full_name="Lee Labour", rank=2),
    ]
    for officer in officers:
        for night in (NIGHT, NIGHT + dt.timedelta(days=1)):
            start = night - dt.timedelta(hours=2)
            registry.availability_add(
                actor=None, officer=officer, kind="shift", start=start, end=start + dt.timedelta(hours=12)
            )
    venues = [
        factories.site(
            name_en=name,
            latitude=lat,
            longitude=lon,
            opening_hours=[(d, dt.time(18), dt.time(4)) for d in range(7)],
        )
        for name, lat, lon in VENUES
    ]
    muster = officers[0].unit
    draft, draft_job = _planned(paula, muster, venues[:3], NIGHT, "Draft sweep")
    routes = draft_job.plan["routes"]
    index, visit = next((i, s["visit_id"]) for i, r in enumerate(routes) for s in r["stops"])
    draft_job = scheduler.plan_move(actor=paula.user, job=draft_job, visit_id=visit, to_route=index)
    member = routes[0]["officer_ids"][0]
    other = 1 if len(routes) > 1 else None
    scheduler.plan_officer_move(
        actor=paula.user, job=draft_job, officer_id=member, from_route=0, to_route=other
    )
    tomorrow = NIGHT + dt.timedelta(days=1)
    published, published_job = _planned(paula, muster, venues[3:], tomorrow, "Out tonight")
    scheduler.plan_publish(actor=paula.user, job=published_job)

    # Registry imports, checked: one to apply, one with rows to place on the map.
    adele = people["adele"]
    ready = registry_import.import_receive(
        actor=adele.user,
        kind="sites",
        file_name="sites.csv",
        data=HEADER + b"\n" + ROW + b"\n" + ROW.replace(b"LIC-9", b"LIC-10") + b"\n",
        in_background=False,
    )
    to_place = registry_import.import_receive(
        actor=adele.user,
        kind="sites",
        file_name="sites-addresses-only.csv",
        data=_sites(b"22.21,113.545", b","),
        in_background=False,
    )
    for item in (ready, to_place):
        registry_import.import_check(import_id=item.pk)
    ready.refresh_from_db()
    assert ready.status == RegistryImport.Status.READY, list(ready.rows.values("problems"))

    clients = {}
    for name in ("paula", "carol", "vera", "adele"):
        clients[name] = Client(raise_request_exception=False)  # a server error is an answer: 500
        sign_in_client(clients[name], name, PASSWORD)
    return World(
        clients=clients,
        case=str(case.uuid),
        referral=str(referral.uuid),
        draft=str(draft.uuid),
        published=str(published.uuid),
        ready=str(ready.uuid),
        to_place=str(to_place.uuid),
    )


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("hostile-more-media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=str(media), MAP_TILE_URL=""),
        transaction.atomic(),
    ):
        yield _build()
        transaction.set_rollback(True)


@pytest.fixture
def world(_built, db):
    return _built


# --- The pages and their forms ---------------------------------------------------------------------

# (persona, method, url): the pages whose forms this module walks; a POST's page is the answer to
# that POST (a person's details are shown on an explicit request with its reason).
PAGES = [
    ("paula", "get", "/planning/operations/{draft}/plan/"),
    ("paula", "get", "/planning/operations/{published}/plan/"),
    ("adele", "get", "/registry/imports/{ready}/"),
    ("adele", "get", "/registry/imports/{to_place}/place/"),
    ("carol", "get", "/compliance/cases/{case}/"),
    ("vera", "post", "/protection/{referral}/person/"),
]
# The forms already walked by tests/console/test_hostile_input.py with the role walk's world.
WALKED = ("/plan/start/", "/comment/", "/notice/", "/services/", "/update/", "/protection/{referral}/person/")


def _harvest(world) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(persona, path) -> fields of each POST form, in the order the pages give them."""
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for persona, method, page in PAGES:
        url = page.format(**world.__dict__)
        if method == "get":
            response = world.clients[persona].get(url)
        else:
            response = world.clients[persona].post(url, {"reason": "protection"})
        assert response.status_code == 200, (url, response.status_code)
        parser = _Forms(url)
        parser.feed(response.content.decode(errors="replace"))
        for form_method, action, fields in parser.forms:
            path = urlsplit(action).path or url
            walked = [w.format(**world.__dict__) for w in WALKED]
            if form_method != "post" or _route_of(path) is None or any(path.endswith(w) for w in walked):
                continue
            found.setdefault((persona, path), fields)
    return found


@pytest.fixture(scope="module")
def forms(_built, django_db_blocker):
    with django_db_blocker.unblock():
        return _harvest(_built)


def _shape(world, path: str) -> str:
    for name in ("draft", "published", "ready", "to_place", "case", "referral"):
        path = path.replace(getattr(world, name), f"<{name}>")
    return path


EXPECTED = {
    "<draft>/plan/move/",
    "<draft>/plan/officer/",
    "<draft>/plan/officer/release/",
    "<draft>/plan/unpin/",
    "<draft>/plan/publish/",
    "<published>/plan/replan/",
    "/registry/imports/<ready>/apply/",
    "/registry/imports/<to_place>/place/",
    "/compliance/cases/<case>/follow-up/",
    "/compliance/cases/<case>/outcome/",
    "/protection/<referral>/person/record/",
}


def test_the_harvest_finds_the_forms_of_data_in_each_state(world, forms):
    shapes = {_shape(world, path) for (_p, path) in forms}
    missing = {e for e in EXPECTED if not any(s.endswith(e) for s in shapes)}
    assert not missing, (sorted(missing), sorted(shapes))


def _walk(world, persona: str, path: str, fields: list[tuple[str, str]]) -> list[str]:
    failures = []
    client = world.clients[persona]
    state = _state()
    for what, body, content_type in _variants(fields, MORE_HOSTILE):
        response = _send(client, "post", path, body, content_type)
        status = response.status_code
        if status >= 500:
            failures.append(f"POST {_shape(world, path)} as {persona}, {what}: {status}")
        after = _state()
        if 400 <= status < 500 and after != state:
            failures.append(f"POST {_shape(world, path)} as {persona}, {what}: {status} but wrote")
        state = after
    return failures


# Publishing last: a published plan takes no more moves. The re-plan's time limit is the least
# (each re-plan the walk lets through runs the solver for it).
ORDER = ("/move/", "/officer/", "/unpin/", "/officer/release/", "/replan/", "/publish/")


def _in_order(item):
    (_persona, path), _fields = item
    return next((i for i, end in enumerate(ORDER) if path.endswith(end)), -1), path


@pytest.mark.parametrize("area", ["planning", "registry", "compliance", "protection"])
def test_no_form_of_data_in_a_state_fails_on_hostile_input(world, forms, area):
    failures = []
    mine = sorted(((k, v) for k, v in forms.items() if k[1].startswith(f"/{area}/")), key=_in_order)
    assert mine
    for (persona, path), fields in mine:
        fields = [(n, "1" if n == "time_limit_seconds" else v) for n, v in fields]
        failures += _walk(world, persona, path, fields)
    assert not failures, "\n".join(failures)


# --- The upload itself, with hostile files ---------------------------------------------------------


def _sites(old: bytes = b"", new: bytes = b"") -> bytes:
    """The sites' header and one row, ``old`` in it replaced by ``new``."""
    return HEADER + b"\n" + (ROW.replace(old, new) if old else ROW) + b"\n"


HOSTILE_FILES: dict[str, tuple[str, str, bytes]] = {
    "empty": ("sites", "sites.csv", b""),
    "nul bytes": ("sites", "sites.csv", _sites(b"Name", b"Na\x00me")),
    "bad utf-8": ("sites", "sites.csv", _sites(b"Name", b"\xff\xfe\xed\xa0\x80")),
    "utf-16": ("sites", "sites.csv", (HEADER + b"\n" + ROW + b"\n").decode().encode("utf-16")),
    "a cell of 10,000 characters": ("sites", "sites.csv", _sites(b"Name", b"x" * 10_000)),
    "30-digit coordinates": ("sites", "sites.csv", _sites(b"22.21", b"9" * 30)),
    "coordinates not numbers": ("sites", "sites.csv", _sites(b"22.21", b"nan")),
    "infinite coordinates": ("sites", "sites.csv", _sites(b"22.21", b"inf")),
    "header only": ("sites", "sites.csv", HEADER + b"\n"),
    "the same row twice": ("sites", "sites.csv", HEADER + b"\n" + ROW + b"\n" + ROW + b"\n"),
    "unbalanced quotes": ("sites", "sites.csv", HEADER + b'\n"LIC-9,"Name\n'),
    "a lone carriage return": ("sites", "sites.csv", HEADER + b"\r" + ROW + b"\r"),
    "no csv at all": ("sites", "sites.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
    "an xlsx that is no zip": ("sites", "sites.xlsx", b"PK\x03\x04 not really"),
    "an xlsx of garbage": ("sites", "sites.xlsx", bytes(range(256)) * 4),
    "another extension": ("sites", "sites.exe", HEADER + b"\n" + ROW + b"\n"),
    "a name of 1,000 characters": ("sites", "s" * 1000 + ".csv", HEADER + b"\n" + ROW + b"\n"),
    "a name with a NUL": ("sites", "si\x00tes.csv", HEADER + b"\n" + ROW + b"\n"),
    "an unknown kind": ("nothing", "sites.csv", HEADER + b"\n" + ROW + b"\n"),
    "a rank in superscript digits": (
        "officers",
        "officers.csv",
        b"\n".join((SAMPLES / "officers.csv").read_bytes().split(b"\n")[:2]).replace(
            b",3,Guarda", ",\u00b2,Guarda".encode()
        ),
    ),
    "shifts in year one": (
        "shifts",
        "shifts.csv",
        b"external_id,agency,officer,kind,start,end,note\nR-1,PSP,B00001,shift,0001-01-01 00:00,"
        b"0001-01-01 04:00,x\nR-2,PSP,B00001,shift,9999-12-31 20:00,9999-12-31 23:59,x\n"
        b"R-3,PSP,B00001,shift,2026-02-30 20:00,2026-02-31 04:00,x\n",
    ),
}


@pytest.mark.parametrize("what", list(HOSTILE_FILES))
def test_a_hostile_file_is_refused_or_checked_never_a_server_error(world, what):
    """Uploaded, checked (the dry run the worker would run), its preview read, and applied when
    the check let it: each answer below 500, an upload refused (4xx) stores nothing, and a file
    received is refused with its reasons, never a check that failed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    kind, name, data = HOSTILE_FILES[what]
    client = world.clients["adele"]
    before = _state()
    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    response = client.post("/registry/imports/", {"kind": kind, "file": upload})
    assert response.status_code < 500, response.status_code
    if response.status_code >= 400:
        assert _state() == before
        return
    assert response.status_code == 302, response.status_code
    item = RegistryImport.objects.get(uuid=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    registry_import.import_check(import_id=item.pk)
    item.refresh_from_db()
    # A check that failed is a fault of ours (the page says "The check failed: ValueError…"), not
    # the file's reasons.
    assert item.status != RegistryImport.Status.FAILED, item.failure
    for query in ("", "?show=changes", "?show=refused", "?page=2"):
        page = client.get(f"/registry/imports/{item.uuid}/{query}")
        assert page.status_code == 200, (query, page.status_code)
    applied = client.post(f"/registry/imports/{item.uuid}/apply/")
    assert applied.status_code == 302, applied.status_code
    item.refresh_from_db()
    if item.status == RegistryImport.Status.APPLYING:
        registry_import.import_apply(import_id=item.pk)
        item.refresh_from_db()
        assert item.status == RegistryImport.Status.APPLIED, (item.status, item.file_problems)


# --- The same form sent twice ------------------------------------------------------------------------


def test_a_follow_up_asked_twice_is_asked_once(world, forms):
    from backend.planning.models import DueWork

    path = f"/compliance/cases/{world.case}/follow-up/"
    body = _encode([(n, quote(v)) for n, v in forms[("carol", path)]])
    before = DueWork.objects.count()
    statuses = [_send(world.clients["carol"], "post", path, body).status_code for _n in range(2)]
    assert all(s < 500 for s in statuses), statuses
    assert DueWork.objects.count() == before + 1


def test_a_persons_words_recorded_twice_are_recorded_once(world, forms):
    """The record form of a screened person's details sent twice: one change in the person's
    file (the read is audited each time, the change once)."""
    from backend.audit.models import AuditEntry

    path = f"/protection/{world.referral}/person/record/"
    fields = [(n, "Said she works nights." if n == "notes" else v) for n, v in forms[("vera", path)]]
    body = _encode([(n, quote(v)) for n, v in fields])
    before = AuditEntry.objects.exclude(action__in=("read",)).count()
    for _n in range(2):
        assert _send(world.clients["vera"], "post", path, body).status_code < 500
    changes = AuditEntry.objects.exclude(action__in=("read",)).count() - before
    assert changes <= 1, changes
