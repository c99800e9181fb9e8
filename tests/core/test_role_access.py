"""Every page and endpoint against every role: the wrong role gets nothing, writes nothing, and
never a server error; nobody but an operation's own planners learns of it before its reveal time.

The routes are found by walking the URL configuration (the console's pages, the back-office API
``/api/v1/``, the officers' API ``/api/mobile/v1/`` and ``/admin/``), and each is looked up in
``ROLE_TABLE``: which roles the code lets reach it (each app's page decorator, permission class
or selector) and how it refuses the others. A route the table does not name fails
``test_every_route_is_in_the_role_table``: a page or endpoint added tomorrow is covered the day it
is added, once its author says who may reach it.

Each persona is signed in once for the module, as the product signs them in: the console's
sign-in page with its second factor, a script's token from ``/api/v1/auth/tokens/``, a phone's
from ``/api/mobile/v1/auth/sign-in/``. The world (a revealed joint operation with a submission,
its findings, a case and a referral; a sealed operation; a programme, a planning job, due work, a
registry import) is built once for the module, and every id in a URL is one of its rows, so a
404 is never "no such id" hiding a missing role check.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import get_resolver
from django.utils import timezone
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from backend.audit.models import AuditEntry
from backend.compliance import services as compliance
from backend.compliance.models import Referral
from backend.compliance.services import violation_catalogue_load
from backend.console.nav import BACK_OFFICE_ROLES
from backend.inspections import services as inspections
from backend.inspections.models import Finding, Submission
from backend.planning.services import due_work_request
from backend.registry import services as registry
from backend.registry.models import Officer
from backend.registry_import import services as registry_import
from scheduler import services as scheduler
from scheduler.models import PlanningJob
from tests import factories
from tests.browser_support import sign_in_client, totp_code
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.compliance.conftest import COMPLIANCE_PERSONAS, construction_answers, ingest, joint_build
from tests.conftest import PASSWORD, make_persona
from tests.core.test_api_anonymous import _routes as _walk

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- The personas: one role each ------------------------------------------------------------------

# username -> the role the persona holds. Bob is on the joint visit's team and sent its checklist;
# Paula plans both operations; Dora, a planner of another agency, plans neither.
PERSONAS = {
    "bob": "inspector",  # DSAL, the field inspector
    "tina": "team_leader",  # DSAL, leads no team here
    "paula": "planner",  # PSP
    "dora": "planner",  # DSAL
    "percy": "reviewer",  # PSP
    "carol": "reviewer",  # DSAL
    "vera": "victim_protection",  # IAS
    "andy": "analyst",  # DSAL
    "dana": "data_protection",  # IAS
    "adele": "administrator",  # PSP
}
CONSOLE = frozenset(BACK_OFFICE_ROLES)  # the roles the console and /api/v1/ let in at all
OFFICERS = CONSOLE | {"inspector"}  # every officer may sign a phone in

# --- Who may reach what -----------------------------------------------------------------------------

# How a route refuses a role it does not let in.
NOT_FOUND = "404"  # the page answers 404 (backend.console.access.console_page): it does not exist for them
FORBIDDEN = "403"  # a DRF permission class or a domain Forbidden, deliberately: problem+json, 403
SCOPED = "scoped"  # the selectors decide: an object is 404; a list answers 200 with none of the world's
# rows in it; a write is refused (400, 403 or 404)
SIGN_IN = "sign-in"  # Django's admin sends whoever it does not let in to the console's sign-in page

# Administrators hold Principal.is_superuser, which Principal.has_role grants every role: the
# console's gate (console_page) lets them into every page, and the selectors then decide (review
# and protection are duties of named officers: backend.compliance.selectors._holds gives an
# administrator no pass there).
ADMIN = "administrator"


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    refusal: str
    why: str = ""
    # Roles that may read the object a write names: they may be told 403 (they know it exists).
    readers: frozenset[str] = frozenset()


def rule(roles, refusal=NOT_FOUND, why="", readers=()):
    return Rule(frozenset(roles), refusal, why, frozenset(readers))


CASE_READERS = {"reviewer", "team_leader", "analyst", "administrator"}
REFERRAL_READERS = {"victim_protection", "analyst", "reviewer", "team_leader"}


# Keys are route patterns as the URL configuration spells them (without the leading slash): a key
# ending in "/" covers the routes under it, the longest key wins; ("route", "METHOD") narrows a key
# to one method. Read from the code, app by app:
ROLE_TABLE: dict[str | tuple[str, str], Rule] = {
    # The console (backend/console/access.py console_page; nav.py registers the same roles).
    "": rule(CONSOLE, why="the home page: any back-office role (backend.console.views.home)"),
    "planning/": rule({"planner", ADMIN}, why="scheduler/pages/views.py planner_page"),
    "review/": rule({"reviewer", "team_leader", ADMIN}, why="compliance/pages/review.py REVIEWERS"),
    "review/<str:submission_id>/open-case/": rule({"reviewer", ADMIN}, why="review_case_open: reviewers"),
    "compliance/": rule({"reviewer", ADMIN}, why="compliance/pages/register.py COMPLIANCE"),
    "protection/": rule({"victim_protection", ADMIN}, why="compliance/pages/protection.py PROTECTION"),
    # A person's details: the selectors hold them to the role itself (_holds), administrators too.
    "protection/<str:referral_id>/person/": rule({"victim_protection"}, why="referral_person_details"),
    "privacy/": rule({"data_protection", ADMIN}, why="privacy/pages.py DPO"),
    "statistics/": rule({"analyst", ADMIN}, why="reporting/pages.py ROLES"),
    "registry/imports/": rule({ADMIN}, why="registry_import/pages.py ADMINISTRATORS"),
    "admin/": rule({ADMIN}, SIGN_IN, why="admin_site_guard: an active administrator past the second factor"),
    # Where the admin sends those it does not let in: a signed-in officer of another role is not
    # signed in again (round and round) but told "not found" (admin_site_guard's login).
    "admin/login/": rule({ADMIN}, why="admin_site_guard login: signed in, not an administrator"),
    # The back-office API (/api/v1/): any back-office role signs in; each endpoint then decides.
    # The API's index lists each role's own resources (backend/core/api_root.py). A key of its
    # own, not a prefix: an endpoint added under /api/v1/ must still be named here.
    ("api/v1/", "GET"): rule(CONSOLE, why="the index of the caller's resources"),
    "api/v1/auth/tokens/": rule(CONSOLE, why="a user's own tokens"),
    # The world's token is the administrator's own: another user's is 404 (ApiTokenRevokeApi).
    "api/v1/auth/tokens/<str:token_id>/": rule({ADMIN}, why="the token's owner alone"),
    "api/v1/me/": rule(CONSOLE, why="one's own record and declarations"),
    "api/v1/sites/": rule(CONSOLE, why="every officer reads the registry"),
    ("api/v1/sites/<str:site_id>/", "PATCH"): rule(
        {"planner", ADMIN}, FORBIDDEN, why="registry/apis.py EditsSitesOrReads"
    ),
    "api/v1/officers/": rule(CONSOLE, why="scoped by agency (tests/registry), not by role"),
    "api/v1/review/": rule({"reviewer", "team_leader"}, SCOPED, why="compliance selectors _may_review_q"),
    "api/v1/violations/": rule(CONSOLE, why="the catalogue is public to officers"),
    # Administrators read cases, scores and prosecutions (compliance selectors' _is_admin).
    "api/v1/cases/": rule({"reviewer", "team_leader", "analyst", ADMIN}, SCOPED, why="CASE_READERS"),
    "api/v1/cases/open/": rule({"reviewer"}, SCOPED, why="case_open: reviewers"),
    "api/v1/cases/<str:case_id>/issue-notice/": rule({"reviewer"}, SCOPED, readers=CASE_READERS),
    "api/v1/cases/<str:case_id>/comments/": rule({"reviewer"}, SCOPED, readers=CASE_READERS),
    "api/v1/cases/<str:case_id>/outcome/": rule({"reviewer"}, SCOPED, readers=CASE_READERS),
    "api/v1/cases/<str:case_id>/reopen/": rule({"reviewer"}, SCOPED, readers=CASE_READERS),
    "api/v1/compliance/": rule({"reviewer", "analyst", "planner", ADMIN}, SCOPED, why="SCORE_READERS"),
    "api/v1/referrals/": rule(
        {"victim_protection", "analyst", "reviewer", "team_leader"}, SCOPED, why="compliance _referrals"
    ),
    "api/v1/referrals/<str:referral_id>/person/": rule({"victim_protection"}, SCOPED),
    "api/v1/referrals/<str:referral_id>/person/record/": rule({"victim_protection"}, SCOPED),
    "api/v1/referrals/<str:referral_id>/update/": rule(
        {"victim_protection"}, SCOPED, readers=REFERRAL_READERS
    ),
    "api/v1/referrals/<str:referral_id>/services/": rule(
        {"victim_protection"}, SCOPED, readers=REFERRAL_READERS
    ),
    "api/v1/prosecutions/": rule({"reviewer", "analyst", ADMIN}, SCOPED, why="compliance prosecutions"),
    "api/v1/prosecutions/record/": rule({"reviewer"}, SCOPED),
    "api/v1/planning/": rule(
        {"planner", ADMIN}, FORBIDDEN, why="scheduler/apis.py, planning/apis.py IsPlanner"
    ),
    "api/v1/statistics/": rule(
        {"analyst", ADMIN, "planner", "reviewer"}, FORBIDDEN, why="reporting/selectors.py statistics_access"
    ),
    "api/v1/statistics/report/": rule({"analyst", ADMIN}, FORBIDDEN, why="report_read: full readers"),
    # The officers' API: any active officer with a device token (mobile_api/apis.py IsActiveOfficer),
    # each seeing their own work: the world's visit is Bob's.
    "api/mobile/v1/": rule({"inspector"}, SCOPED, why="assignments and submissions are the officer's own"),
    "api/mobile/v1/templates/": rule(OFFICERS, why="a published checklist, the same for every officer"),
    "api/mobile/v1/registry/search/": rule(
        OFFICERS,
        why="the shared registry's names, to name a conflict of interest: the same for every officer",
    ),
    "api/mobile/v1/me/conflicts/": rule(
        OFFICERS, why="each officer's own declarations of conflicts of interest"
    ),
    # Alice's declaration: every officer may withdraw their own; another's is 404
    # (tests/mobile_api/test_conflicts_withdraw.py).
    "api/mobile/v1/me/conflicts/<str:conflict_id>/withdraw/": rule(
        OFFICERS, SCOPED, why="registry selectors conflict_get: one's own declaration"
    ),
}

# Routes this test does not walk, and why.
OUTSIDE = (
    "sign-in/",  # signing in and out, and one's own password: every signed-in user's
    "sign-out/",
    "account/",
    "favicon.ico",
    "healthz",
    "i18n/",
    "field/",  # the field app's static shell: its data comes from /api/mobile/v1/
    "api/schema/",  # the API's description (tests/core/test_api_schema.py)
    "api/docs/",
    "api/redoc/",
    "api/mobile/v1/auth/",  # a phone's sign-in and sign-out
    "media/",
)


def _rule_for(route: str, method: str) -> Rule | None:
    route = route.replace("^", "")  # a re_path's anchor: "api/v1/^statistics/..." is under api/v1/statistics/
    if (route, method) in ROLE_TABLE:
        return ROLE_TABLE[(route, method)]
    if route in ROLE_TABLE:
        return ROLE_TABLE[route]
    keys = [k for k in ROLE_TABLE if isinstance(k, str) and k.endswith("/") and route.startswith(k)]
    return ROLE_TABLE[max(keys, key=len)] if keys else None


# --- The walk ---------------------------------------------------------------------------------------

_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")
HANDLERS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    pattern: str  # as the URL configuration spells it
    methods: tuple[str, ...]
    callback: object = field(compare=False, repr=False)

    @property
    def parameters(self) -> list[str]:
        return [m["name"] for m in _PARAMETER.finditer(self.pattern)] + [
            m["name"] for m in _GROUP.finditer(self.pattern)
        ]


def _methods(callback) -> tuple[str, ...]:
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view is not None and hasattr(view, "http_method_names"):
        found = tuple(h.upper() for h in HANDLERS if hasattr(view, h))
        if view.__module__.startswith(("rest_framework", "backend", "scheduler", "mobile_api")):
            return found
    # A function view (a console page, the admin's) answers what it answers: ask with both.
    return ("GET", "POST")


def routes() -> list[Route]:
    found = []
    for pattern, callback in _walk(get_resolver().url_patterns):
        if pattern.startswith(OUTSIDE):
            continue
        found.append(Route(pattern, _methods(callback), callback))
    return found


ROUTES = routes()


# --- The world --------------------------------------------------------------------------------------


@dataclass
class World:
    ids: dict[str, str]  # a URL parameter's name -> a value from the world
    secrets: list[str]  # ids no refused list may show
    sealed: str  # the sealed operation
    sealed_name: str
    sealed_inspection: str
    clients: dict[str, Client]  # console sessions
    scripts: dict[str, APIClient]  # /api/v1/ tokens
    phones: dict[str, APIClient]  # /api/mobile/v1/ device tokens
    admin_pks: dict[str, str] = field(default_factory=dict)  # model label -> a pk for the admin's URLs
    answers: dict = field(default_factory=dict)  # a checklist the joint visit's version accepts
    site_position: tuple[str, str] = ("", "")
    open_findings: list[str] = field(default_factory=list)  # official findings no case holds yet
    bodies: dict[str, dict] = field(default_factory=dict)


def _people():
    people = {name: make_persona(name) for name in ("alice", "bob", "carol", "paula")}
    people.update({name: COMPLIANCE_PERSONAS[name]() for name in ("percy", "vera", "andy", "tina")})
    people["dora"] = factories.officer("DSAL", username="dora", roles=("planner",), sex="F")
    people["dana"] = factories.officer("IAS", username="dana", roles=("data_protection",), sex="F")
    people["adele"] = factories.officer("PSP", username="adele", roles=("administrator",), sex="F")
    return people


def _sign_in(username: str, role: str) -> tuple[Client | None, APIClient | None, APIClient]:
    """The persona's console session, script token and phone token, each as the product issues it."""
    console = script = None
    if role in CONSOLE:
        console = Client(raise_request_exception=False)  # a server error is an answer: 500
        sign_in_client(console, username, PASSWORD)
        body = {"username": username, "password": PASSWORD, "name": "role access"}
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is not None:
            body["otp_code"] = totp_code(device.bin_key, after_t=device.last_t)
        script = APIClient(raise_request_exception=False)
        created = script.post("/api/v1/auth/tokens/", body, format="json")
        assert created.status_code == 201, (username, created.content)
        script.credentials(HTTP_AUTHORIZATION=f"Bearer {created.json()['token']}")
        script.token_id = created.json()["id"]
    else:
        # An inspector has no console and no script: the product refuses both.
        refused = Client().post("/sign-in/", {"username": username, "password": PASSWORD})
        assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session
        body = {"username": username, "password": PASSWORD, "name": "role access"}
        assert APIClient().post("/api/v1/auth/tokens/", body, format="json").status_code == 401
    phone = APIClient(raise_request_exception=False)
    signed = phone.post(
        "/api/mobile/v1/auth/sign-in/",
        {"username": username, "password": PASSWORD, "device_name": "role access"},
        format="json",
    )
    assert signed.status_code == 201, (username, signed.content)
    phone.credentials(HTTP_AUTHORIZATION=f"Bearer {signed.json()['token']}")
    return console, script, phone


def _build(people) -> World:
    violation_catalogue_load()
    joint = joint_build(people["alice"], people["bob"], people["paula"])
    joint.submit_screening(people["alice"])  # a potential victim: the referral
    answers = construction_answers(joint.construction_version)
    answers["workers"][0] = {**answers["workers"][1], "nationality": "vietnam"}
    waiting = ingest(people["bob"], joint.inspection, joint.construction_version, answers)  # for DSAL
    approved = ingest(
        people["bob"],
        joint.inspection,
        joint.construction_version,
        construction_answers(joint.construction_version),
    )
    compliance.submission_approve(user=people["carol"].user, submission=approved.submission)
    official = Finding.objects.filter(submission=approved.submission, competent_agency__code="DSAL")
    case = compliance.case_open(user=people["carol"].user, findings=list(official)[:1], reason="x")
    compliance.company_score_compute(company=joint.contractor)

    paula = people["paula"]
    later = timezone.now() + dt.timedelta(days=30)
    sealed = scheduler.operation_plan_create(
        actor=paula.user,
        planner=paula,
        name="Sealed sweep",
        lead_agency=paula.agency,
        agencies=[people["bob"].agency],
        starts_at=later,
        ends_at=later + dt.timedelta(hours=6),
        reveal_at=later - dt.timedelta(hours=2),
        muster_unit=paula.unit,
        waves=[("W1", later + dt.timedelta(hours=1))],
    )
    scheduler.operation_targets_set(actor=paula.user, operation=sealed, sites=[joint.site], wave="W1")
    team = inspections.team_create(
        actor=None, name="Sealed 1", members=[people["alice"], people["bob"]], operation=sealed
    )
    sealed_visit = inspections.inspection_issue(
        actor=None,
        site=joint.site,
        category="illegal_employment",
        template_version=joint.construction_version,
        planned_start=later + dt.timedelta(hours=1),
        planned_end=later + dt.timedelta(hours=2),
        team=team,
        operation=sealed,
    )
    programme = scheduler.programme_create(
        actor=paula.user,
        planner=paula,
        name="PSP spring round",
        agency=paula.agency,
        start_date=later.date(),
        end_date=later.date(),
    )
    job = PlanningJob.objects.create(operation=sealed, status=PlanningJob.Status.QUEUED)
    due = due_work_request(
        actor=paula.user,
        site=joint.site,
        agency=paula.agency,
        category="illegal_employment",
        reason="manual",
        earliest=later.date(),
        latest=later.date(),
    )
    imported = registry_import.import_receive(
        actor=people["adele"].user,
        kind="sites",
        file_name="sites.csv",
        data=b"name_en\nA site\n",
        in_background=False,
    )
    referral = Referral.objects.get()

    sessions = {name: _sign_in(name, role) for name, role in PERSONAS.items()}
    year = timezone.localdate().year
    ids = {
        "submission_id": str(waiting.submission.uuid),
        "inspection_id": str(joint.inspection.uuid),
        "version_id": str(joint.construction_version.uuid),
        "name": PHOTO_REF,
        "company_id": str(joint.contractor.uuid),
        "case_id": str(case.uuid),
        "lang": "en",
        "referral_id": str(referral.uuid),
        "operation_id": str(joint.operation.uuid),
        "programme_id": str(programme.uuid),
        "due_id": str(due.uuid),
        "job_id": str(job.uuid),
        "number": "1",
        "route": "1",
        "index": "0",
        "uuid": str(imported.uuid),
        "year_from": str(year - 1),
        "year_to": str(year),
        "extension": "csv",
        "fmt": "csv",
        "kind": "sites",
        "language": "en",
        "token_id": sessions["adele"][1].token_id,
        "site_id": str(joint.site.uuid),
        "officer_id": str(people["alice"].uuid),
        "app_label": "registry",
        "content_type_id": str(ContentType.objects.get_for_model(Officer).pk),
        "object_id": str(people["alice"].pk),
        "id": str(people["alice"].user.pk),
        "url": "registry/nothing/",
        "conflict_id": str(
            registry.conflict_declare(
                actor=None, officer=people["alice"], site=factories.site(), reason="A cousin runs it."
            ).uuid
        ),
    }
    admin_pks = {}
    for model in apps.get_models():
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            admin_pks[model._meta.label_lower] = str(first)
    secrets = [
        ids["submission_id"],
        str(approved.submission.uuid),
        ids["inspection_id"],
        str(sealed_visit.uuid),
        ids["case_id"],
        ids["referral_id"],
        str(sealed.uuid),
        ids["programme_id"],
        ids["job_id"],
        ids["due_id"],
        *(str(f.uuid) for f in Finding.objects.all()),
    ]
    world = World(
        ids=ids,
        secrets=secrets,
        sealed=str(sealed.uuid),
        sealed_name=sealed.name,
        sealed_inspection=str(sealed_visit.uuid),
        clients={name: s[0] for name, s in sessions.items() if s[0] is not None},
        scripts={name: s[1] for name, s in sessions.items() if s[1] is not None},
        phones={name: s[2] for name, s in sessions.items()},
        admin_pks=admin_pks,
        answers=construction_answers(joint.construction_version),
        site_position=(str(joint.site.latitude), str(joint.site.longitude)),
        open_findings=[str(f.uuid) for f in list(official)[1:]],
    )
    world.bodies = _bodies(world)
    return world


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The people, their sign-ins and the world, built once for the module and rolled back after
    it; each test runs in a savepoint inside, so nothing one test does reaches the next."""
    media = tmp_path_factory.mktemp("role-access-media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=str(media), MAP_TILE_URL=""),
        transaction.atomic(),
    ):
        built = _build(_people())
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def world(_built, db):
    return _built


# --- Asking -----------------------------------------------------------------------------------------


def _url(route: Route, world: World, **overrides: str) -> str:
    ids = {**world.ids, **overrides}
    admin = getattr(route.callback, "model_admin", None)
    if admin is not None:
        ids["object_id"] = world.admin_pks.get(admin.model._meta.label_lower, "1")

    def value(match: re.Match[str]) -> str:
        return ids[match["name"]]

    def group(match: re.Match[str]) -> str:
        if match["name"] in ids and re.fullmatch(match["body"], ids[match["name"]]):
            return ids[match["name"]]
        return match["body"].split("|")[0]

    path = _GROUP.sub(group, route.pattern).replace("^", "").replace("$", "").replace("\\.", ".")
    url = "/" + _PARAMETER.sub(value, path)
    get_resolver().resolve(url)
    return url


# A query a route answers when asked well, so a role is refused for itself and not for a missing
# parameter (the statistics API checks the query before the reader).
QUERIES = {
    "api/v1/statistics/query/": "?measure=inspections&by=year",
    "api/v1/statistics/query.csv": "?measure=inspections&by=year",
    "api/v1/statistics/query.xlsx": "?measure=inspections&by=year",
}


def _urls(route: Route, world: World) -> list[str]:
    """The URLs to ask of a route: planning's ``<kind>/<subject_id>`` once for each kind."""
    query = QUERIES.get(route.pattern, "")
    if "subject_id" in route.parameters:
        return [
            _url(route, world, kind="operations", subject_id=world.ids["operation_id"]) + query,
            _url(route, world, kind="programmes", subject_id=world.ids["programme_id"]) + query,
        ]
    return [_url(route, world) + query]


def _client(world: World, persona: str, route: Route):
    if route.pattern.startswith("api/mobile/"):
        return world.phones[persona]
    if route.pattern.startswith("api/v1/"):
        return world.scripts[persona]
    return world.clients[persona]


def _bodies(world: World) -> dict[str, dict]:
    """Writes that would succeed for the right officer: a refusal must come from the role or the
    scope, not from a body the endpoint would refuse anyway."""
    ids, now = world.ids, timezone.now().isoformat()
    submission = {
        "id": "6f1f4cde-3c53-4a4e-9a51-2f1d0c5b7a10",
        "inspection": ids["inspection_id"],
        "template_version": ids["version_id"],
        "answers": world.answers,
        "device_submitted_at": now,
    }
    return {
        "api/mobile/v1/assignments/<str:inspection_id>/check-ins/": {
            "id": "0b5bd2e4-9f4e-4b8e-8f0a-3c1d2e4f5a60",
            "latitude": world.site_position[0],
            "longitude": world.site_position[1],
            "accuracy_m": "8.0",
            "device_time": now,
        },
        "api/mobile/v1/submissions/": submission,
        "api/mobile/v1/submissions/batch/": {"items": [submission]},
        "api/v1/review/submissions/<str:submission_id>/return/": {"comment": "fix"},
        "api/v1/cases/open/": {"findings": world.open_findings, "reason": "x"},
        "api/v1/cases/<str:case_id>/comments/": {"text": "hi"},
        "api/v1/cases/<str:case_id>/outcome/": {"outcome": "closed", "reason": "x"},
        "api/v1/cases/<str:case_id>/reopen/": {"reason": "x"},
        "api/v1/referrals/<str:referral_id>/person/record/": {"full_name": "X"},
        "api/v1/referrals/<str:referral_id>/update/": {"sex": "F"},
        "api/v1/referrals/<str:referral_id>/services/": {
            "kind": "shelter",
            "provider_kind": "ngo",
            "provider_name": "GS",
            "started_on": "2024-01-01",
        },
        "api/v1/prosecutions/record/": {
            "kind": "prosecution",
            "offence": "trafficking",
            "on": "2022-02-01",
            "file_reference": "MP-1",
        },
        "review/<str:submission_id>/return/": {"comment": "fix"},
        "compliance/cases/<str:case_id>/comment/": {"text": "hi"},
        "compliance/cases/<str:case_id>/reopen/": {"reopen-reason": "x"},
        "protection/<str:referral_id>/update/": {"sex": "F"},
        "protection/<str:referral_id>/person/": {"reason": "protection"},
    }


def _ask(client, method: str, url: str, body: dict | None = None):
    if isinstance(client, APIClient):
        response = client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")
    else:
        response = client.generic(
            method, url, data=urlencode(body or {}), content_type="application/x-www-form-urlencoded"
        )
    response.asked_by = client
    return response


WRITES = [a for a in AuditEntry.Action.values if a not in ("read", "login", "login_failed")]
# A refused attempt at a person's details is itself recorded (the access report flags it, #15).
REFUSALS_RECORDED = {"victim_details_refused"}


def _audit_mark():
    return AuditEntry.objects.order_by("-at").values_list("at", flat=True).first()


def _writes_since(moment) -> list[tuple[str, str, str]]:
    """Audit entries of writes since ``moment``: (who, action, verb)."""
    qs = AuditEntry.objects.filter(action__in=WRITES).exclude(verb__in=REFUSALS_RECORDED)
    if moment is not None:
        qs = qs.filter(at__gt=moment)
    return list(qs.values_list("actor__username", "action", "verb"))


# Tables whose rows change with every request whatever it asks (sessions, a token's last use).
CHURN = {
    "sessions.session",
    "audit.auditentry",
    "accounts.apitoken",
    "mobile_api.devicetoken",
    "mobile_api.feedcursor",  # a phone's place in its own assignments feed
}


def _state_query() -> tuple[list[str], str]:
    """Every table's row count in one query (the walk asks it twice a route)."""
    models = [
        m
        for m in apps.get_models()
        if m._meta.label_lower not in CHURN and not m._meta.proxy and m._meta.managed
    ]
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)
    return [m._meta.label_lower for m in models], f"SELECT {counts}"


def _state():
    """Row counts of every table, and the states a refused write would change."""
    labels, sql = _state_query()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = dict(zip(labels, cursor.fetchone(), strict=True))
    counts["submission states"] = tuple(Submission.objects.order_by("pk").values_list("status", flat=True))
    counts["finding states"] = tuple(Finding.objects.order_by("pk").values_list("status", flat=True))
    counts["referral states"] = tuple(Referral.objects.order_by("pk").values_list("status", "sex"))
    counts["job states"] = tuple(PlanningJob.objects.order_by("pk").values_list("status", flat=True))
    return counts


FAKE = "00000000-0000-4000-8000-000000000000"


def _same_for_a_fake_id(route: Route, method: str, response, world: World, body=None) -> bool:
    """Whether an id no row has gets the same answer: it then tells nothing of the object."""
    fake = {name: FAKE for name in route.parameters if name.endswith("_id") or name == "uuid"}
    if not fake:
        return True
    url = _url(route, world, **fake)
    other = _ask(response.asked_by, method, url, body)
    return other.status_code == response.status_code


def _refused(rule: Rule, route: Route, method: str, response, world: World, body=None, role="") -> str:
    """Why the answer is not a refusal as ``rule`` says, or ""."""
    status = response.status_code
    if status >= 500:
        return f"{status}: a server error"
    if rule.refusal == SIGN_IN:
        # To the admin's login, which sends on to the console's sign-in page (admin_site_guard);
        # the admin's log-out sends whoever it does not let in back to the admin's index.
        where = response.get("Location", "")
        to = ("/admin/login/", "/sign-in/", *(("/admin/",) if route.pattern == "admin/logout/" else ()))
        return "" if status == 302 and where.split("?")[0] in to else f"{status} {where}"
    if rule.refusal == NOT_FOUND:
        # An administrator passes every console gate; a page whose selector then refuses them may
        # first say it takes POST alone (a GET of /protection/<id>/person/), as for any id.
        passed_the_gate = role == ADMIN and status == 405
        if passed_the_gate and _same_for_a_fake_id(route, method, response, world, body):
            return ""
        return "" if status == 404 else f"{status}, not 404"
    if rule.refusal == FORBIDDEN:
        ok = status == 403 and response["Content-Type"] == "application/problem+json"
        return "" if ok else f"{status}, not 403 problem+json"
    # SCOPED
    if route.parameters and status == 404:
        return ""
    if method != "GET":
        if status == 200 and route.pattern.endswith("/batch/"):
            # A batch answers each item: every one refused, none stored.
            items = response.json()["results"]
            return "" if all(item["status"] >= 400 for item in items) else f"200 with {items}"
        if status == 403 and role in rule.readers:
            return ""  # an object they may read, and may not change
        if status not in (400, 403, 404):
            return f"{status}: a write not refused"
        # A 400 or 403 about an object must be what an unknown id gets, or it tells it exists.
        same = status == 404 or _same_for_a_fake_id(route, method, response, world, body)
        return "" if same else f"{status}, but not for an unknown id"
    if route.parameters:
        return f"{status}, not 404"
    if status in (403, 404):
        return ""
    body = response.content.decode(errors="replace")
    shown = [secret for secret in world.secrets if secret in body]
    return f"{status} showing {shown}" if shown or status != 200 else ""


# --- The tests --------------------------------------------------------------------------------------


def test_the_walk_finds_every_interface():
    patterns = {route.pattern for route in ROUTES}
    for expected in (
        "planning/",
        "statistics/",
        "protection/<str:referral_id>/",
        "privacy/access/",
        "registry/imports/",
        "api/v1/me/",
        "api/v1/planning/operations/",
        "api/mobile/v1/assignments/",
        "admin/",
        "admin/registry/officer/<path:object_id>/change/",
    ):
        assert expected in patterns, expected
    assert len(ROUTES) > 300


def test_every_route_is_in_the_role_table():
    missing = sorted(
        f"{method} /{route.pattern}"
        for route in ROUTES
        for method in route.methods
        if _rule_for(route.pattern, method) is None
    )
    assert not missing, (
        "These routes are not in tests/core/test_role_access.py's ROLE_TABLE: add each (or its "
        "prefix) with the roles its page decorator, permission class or selector lets in, and how "
        "it refuses the others:\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("route", ROUTES, ids=[r.pattern for r in ROUTES])
def test_the_wrong_role_gets_nothing_and_writes_nothing(world, route):
    before, mark = _state(), _audit_mark()
    failures = []
    for method in route.methods:
        rule_ = _rule_for(route.pattern, method)
        if rule_ is None:
            continue  # test_every_route_is_in_the_role_table names it
        for persona, role in PERSONAS.items():
            if role in rule_.roles:
                continue
            if role not in CONSOLE and not route.pattern.startswith("api/mobile/"):
                continue  # no console, no script (_sign_in shows both refused); see the phone test
            body = world.bodies.get(route.pattern) if method != "GET" else None
            for url in _urls(route, world):
                response = _ask(_client(world, persona, route), method, url, body)
                why = _refused(rule_, route, method, response, world, body, role)
                if why:
                    failures.append(f"{method} {url} as {persona} ({role}): {why}")
    failures += [
        f"/{route.pattern}: {who} wrote {action} {verb}" for who, action, verb in _writes_since(mark)
    ]
    assert not failures, "\n".join(failures)
    assert _state() == before, f"/{route.pattern}: a refused request changed the database"


BACK_OFFICE_ROUTES = [r for r in ROUTES if r.pattern.startswith("api/v1/")]


def test_a_phone_token_opens_no_back_office_endpoint(world):
    """The inspector's only credential, a device token, is refused by every /api/v1/ endpoint."""
    phone = world.phones["bob"]
    failures = []
    for route in BACK_OFFICE_ROUTES:
        for method in route.methods:
            if (method, route.pattern) == ("POST", "api/v1/auth/tokens/"):
                continue  # creating a token takes a password, not a token
            for url in _urls(route, world):
                response = _ask(phone, method, url)
                if response.status_code != 401:
                    failures.append(f"{method} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)


# Routes a role the table lets in must reach (no path parameter, GET): the table says no more than
# the code does. Anything but 403, 404 and a server error counts as reached.
OPEN_ROUTES = [
    r for r in ROUTES if "GET" in r.methods and not r.parameters and not r.pattern.startswith("admin/")
]


@pytest.mark.parametrize("route", OPEN_ROUTES, ids=[r.pattern for r in OPEN_ROUTES])
def test_the_roles_the_table_lets_in_reach_the_route(world, route):
    rule_ = _rule_for(route.pattern, "GET")
    assert rule_ is not None
    failures = []
    for persona, role in PERSONAS.items():
        if role not in rule_.roles:
            continue
        if not route.pattern.startswith("api/mobile/") and role not in CONSOLE:
            continue
        response = _ask(_client(world, persona, route), "GET", _url(route, world))
        if response.status_code in (403, 404) or response.status_code >= 500:
            failures.append(f"{persona} ({role}): {response.status_code}")
    assert not failures, f"GET /{route.pattern}: " + "; ".join(failures)


def test_the_administrator_opens_the_admin(world):
    assert world.clients["adele"].get("/admin/").status_code == 200


# --- Sealed operations ------------------------------------------------------------------------------

SEALED_ROUTES = [
    r
    for r in ROUTES
    if ("operation_id" in r.parameters or "subject_id" in r.parameters) and not r.pattern.startswith("admin/")
]
# Paula plans the sealed operation. Administrators see every operation, sealed or not
# (scheduler.selectors._admin, inspections.selectors._operations; the admin keeps sealed operations
# to them, tests/core/test_admin_access.py): the code's one exception to "its planners alone".
SEALED_READERS = {"paula", "adele"}


@pytest.mark.parametrize("route", SEALED_ROUTES, ids=[r.pattern for r in SEALED_ROUTES])
def test_before_reveal_time_only_its_planners_learn_of_a_sealed_operation(world, route):
    before = _state()
    url = _url(route, world, operation_id=world.sealed, kind="operations", subject_id=world.sealed)
    unknown = _url(route, world, operation_id=FAKE, kind="operations", subject_id=FAKE)
    failures = []
    for method in route.methods:
        for persona, role in PERSONAS.items():
            if persona in SEALED_READERS or role not in CONSOLE:
                continue
            client = _client(world, persona, route)
            response = _ask(client, method, url)
            status = response.status_code
            # 404, a role's 403 from the API, or whatever an operation that does not exist gets (a
            # 405, a 400 for the body): nothing that tells the sealed operation is there.
            hidden = status == 404 or (status == 403 and route.pattern.startswith("api/"))
            if not hidden and (status >= 500 or _ask(client, method, unknown).status_code != status):
                failures.append(f"{method} as {persona} ({role}): {status}")
            elif world.sealed_name in response.content.decode(errors="replace"):
                failures.append(f"{method} as {persona} ({role}): names the operation")
    assert not failures, f"/{route.pattern}: " + "; ".join(failures)
    assert _state() == before


def test_the_sealed_operations_planner_opens_it(world):
    page = world.clients["paula"].get(f"/planning/operations/{world.sealed}/")
    assert page.status_code == 200
    assert world.scripts["paula"].get(f"/api/v1/planning/operations/{world.sealed}/").status_code == 200


def test_a_sealed_visit_reaches_no_phone_before_reveal_time(world):
    """Bob is on the sealed operation's team: his phone learns nothing of it before its reveal."""
    for persona, phone in world.phones.items():
        listing = phone.get("/api/mobile/v1/assignments/")
        assert listing.status_code == 200 and world.sealed_inspection not in listing.content.decode(), persona
        detail = phone.get(f"/api/mobile/v1/assignments/{world.sealed_inspection}/")
        assert detail.status_code == 404, (persona, detail.status_code)
        body = world.bodies["api/mobile/v1/assignments/<str:inspection_id>/check-ins/"]
        check_in = _ask(
            phone, "POST", f"/api/mobile/v1/assignments/{world.sealed_inspection}/check-ins/", body
        )
        assert check_in.status_code == 404, (persona, check_in.status_code)


@pytest.mark.parametrize(
    "persona", [p for p, role in PERSONAS.items() if role in CONSOLE and p not in SEALED_READERS]
)
def test_a_sealed_operation_is_absent_from_every_list(world, persona):
    """The lists of operations and due work: no trace of the sealed one for anyone else."""
    for url in ("/api/v1/planning/operations/", "/api/v1/planning/due-work/"):
        body = world.scripts[persona].get(url).content.decode()
        assert world.sealed not in body, (persona, url)
    body = world.clients[persona].get("/planning/").content.decode()
    assert world.sealed not in body and world.sealed_name not in body, persona


GET_ROUTES = [r for r in ROUTES if "GET" in r.methods and not r.pattern.startswith("admin/")]


@pytest.mark.parametrize("route", GET_ROUTES, ids=[r.pattern for r in GET_ROUTES])
def test_no_page_fails_the_roles_it_lets_in(world, route):
    """The roles a route lets in, with the world's ids: an answer, never a server error."""
    rule_ = _rule_for(route.pattern, "GET")
    failures = []
    for persona, role in PERSONAS.items():
        if role not in rule_.roles or (not route.pattern.startswith("api/mobile/") and role not in CONSOLE):
            continue
        for url in _urls(route, world):
            status = _ask(_client(world, persona, route), "GET", url).status_code
            if status >= 500:
                failures.append(f"GET {url} as {persona} ({role}): {status}")
    assert not failures, "\n".join(failures)
