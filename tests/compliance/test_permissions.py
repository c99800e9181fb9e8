"""Every reviewer endpoint against every persona: the wrong agency and the wrong role get nothing
(404 for an object, an empty list), the anonymous 401/403, and nothing is ever written for them.

The world: Bob's joint-visit submission (labour findings for DSAL, a police finding for PSP),
a DSAL case, Alice's screening with its referral (PSP), a scored contractor, a PSP prosecution.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from rest_framework.test import APIClient

from backend.audit.models import AuditEntry
from backend.compliance import services
from backend.compliance.models import (
    CaseEvent,
    ComplianceCase,
    ProsecutionRecord,
    ProtectionService,
    Referral,
    Review,
    VictimPersonalDetails,
)
from backend.compliance.services import violation_catalogue_load
from backend.console.services import may_use_console
from backend.inspections.models import Finding
from backend.registry.models import Officer
from tests.compliance.conftest import COMPLIANCE_PERSONAS, construction_answers, ingest, joint_build
from tests.conftest import make_persona, signed_in


@dataclass
class World:
    submission: str
    dsal_findings: list[str]
    finding: str
    case: str
    referral: str
    company: str


FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The people and the world, built once for the module and rolled back after it (each test
    runs in a savepoint inside, so what one test writes is gone before the next): building them
    took half of each of the matrix's two dozen tests."""
    media = tmp_path_factory.mktemp("permissions-media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=str(media), MAP_TILE_URL=""),
        transaction.atomic(),
    ):
        people = {name: make_persona(name) for name in ("alice", "bob", "paula", "carol")}
        people.update({name: COMPLIANCE_PERSONAS[name]() for name in ("percy", "vera", "andy")})
        violation_catalogue_load()
        joint = joint_build(people["alice"], people["bob"], people["paula"])
        built = _build_world(joint, **{k: people[k] for k in ("alice", "bob", "carol", "percy")})
        make_persona("oscar")
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def world(_built, db):
    return _built


def _persona_fixture(username: str):
    @pytest.fixture
    def persona(_built, db):
        return Officer.objects.select_related("user", "agency").get(user__username=username)

    return persona


# The module's people, read back from the module's world in each test (the shared fixtures would
# create them a second time).
alice, bob, carol, percy, vera, andy = (
    _persona_fixture(name) for name in ("alice", "bob", "carol", "percy", "vera", "andy")
)


@pytest.fixture
def oscar(_built, db):
    return get_user_model().objects.get(username="oscar")


def _build_world(joint, alice, bob, carol, percy):
    joint.submit_construction(bob)  # the joint one: in the police's queue too
    joint.submit_screening(alice)
    # A submission with labour findings only: the police (and Alice, who leads the team for the
    # police) have nothing to decide on it.
    answers = construction_answers(joint.construction_version)
    answers["workers"][0] = {**answers["workers"][1], "nationality": "vietnam"}
    labour_only = ingest(bob, joint.inspection, joint.construction_version, answers)
    assert {f.competent_agency_code for f in labour_only.findings} == {"DSAL"}
    # A second submission, approved, so the labour bureau has official findings and a case.
    other = ingest(
        bob, joint.inspection, joint.construction_version, construction_answers(joint.construction_version)
    )
    services.submission_approve(user=carol.user, submission=other.submission)
    official = list(
        Finding.objects.filter(submission=other.submission, competent_agency__code="DSAL").order_by("pk")
    )
    case = services.case_open(user=carol.user, findings=official[:1], reason="x")
    services.company_score_compute(company=joint.contractor)
    services.prosecution_record(
        user=percy.user, kind="transfer", offence="trafficking", on=dt.date(2022, 1, 5), file_reference="MP-1"
    )
    return World(
        submission=str(labour_only.submission.uuid),
        dsal_findings=[str(f.uuid) for f in official[1:]],
        finding=str(labour_only.findings[0].uuid),
        case=str(case.uuid),
        referral=str(Referral.objects.get().uuid),
        company=str(joint.contractor.uuid),
    )


def _state():
    return (
        Review.objects.count(),
        ComplianceCase.objects.count(),
        CaseEvent.objects.count(),
        ProtectionService.objects.count(),
        ProsecutionRecord.objects.count(),
        tuple(Finding.objects.order_by("pk").values_list("status", flat=True)),
        tuple(VictimPersonalDetails.objects.values_list("full_name", flat=True)),
        tuple(Referral.objects.values_list("status", "sex")),
        # A refused attempt at a person's details is recorded (#15); nothing else is written.
        AuditEntry.objects.exclude(verb="victim_details_refused").count(),
    )


MARKERS = {
    "review queue": "{submission}",
    "review findings": "{finding}",
    "violations": "V-01",
    "case list": "{case}",
    "ranking": "{company}",
    "register": "{company}",
    "referral list": "{referral}",
    "prosecution list": "MP-1",
}


def _shows(response, marker: str) -> bool:
    return marker in response.content.decode()


# (name, method, url, body, the personas allowed, kind). To the others: a "list" does not show
# the world's object of that kind (the marker, below); an "object" answers 404; an "action"
# answers 404, 403 (a visible object the persona may not change) or 400 (the objects it names are
# unknown to them). Never a write.
ENDPOINTS = [
    ("review queue", "get", "/api/v1/review/queue/", None, {"carol"}, "list"),
    ("review findings", "get", "/api/v1/review/findings/", None, {"carol"}, "list"),
    ("review detail", "get", "/api/v1/review/submissions/{submission}/", None, {"carol"}, "object"),
    ("approve", "post", "/api/v1/review/submissions/{submission}/approve/", {}, {"carol"}, "object"),
    (
        "return",
        "post",
        "/api/v1/review/submissions/{submission}/return/",
        {"comment": "fix"},
        {"carol"},
        "object",
    ),
    (
        "violations",
        "get",
        "/api/v1/violations/",
        None,
        {"carol", "percy", "vera", "andy"},  # every back-office officer (inspectors: no way in)
        "list",
    ),
    ("case list", "get", "/api/v1/cases/", None, {"carol", "andy"}, "list"),
    (
        "case open",
        "post",
        "/api/v1/cases/open/",
        {"findings": "{dsal_findings}", "reason": "x"},
        {"carol"},
        "action",
    ),
    ("case detail", "get", "/api/v1/cases/{case}/", None, {"carol", "andy"}, "object"),
    ("issue notice", "post", "/api/v1/cases/{case}/issue-notice/", {}, {"carol"}, "action"),
    ("notice", "get", "/api/v1/cases/{case}/notice/en/", None, {"carol", "andy"}, "object"),
    ("notice pdf", "get", "/api/v1/cases/{case}/notice/pt/pdf/", None, {"carol", "andy"}, "object"),
    ("comment", "post", "/api/v1/cases/{case}/comments/", {"text": "hi"}, {"carol"}, "action"),
    (
        "outcome",
        "post",
        "/api/v1/cases/{case}/outcome/",
        {"outcome": "closed", "reason": "x"},
        {"carol"},
        "action",
    ),
    ("ranking", "get", "/api/v1/compliance/ranking/", None, {"carol", "percy", "andy"}, "list"),
    ("register", "get", "/api/v1/compliance/register.csv", None, {"carol", "percy", "andy"}, "list"),
    (
        "score history",
        "get",
        "/api/v1/compliance/companies/{company}/scores/",
        None,
        {"carol", "percy", "andy"},
        "object",
    ),
    ("referral list", "get", "/api/v1/referrals/", None, {"percy", "vera", "andy"}, "list"),
    ("referral detail", "get", "/api/v1/referrals/{referral}/", None, {"percy", "vera", "andy"}, "object"),
    ("person", "get", "/api/v1/referrals/{referral}/person/?reason=protection", None, {"vera"}, "object"),
    (
        "person record",
        "post",
        "/api/v1/referrals/{referral}/person/record/",
        {"full_name": "X"},
        {"vera"},
        "object",
    ),
    ("referral update", "post", "/api/v1/referrals/{referral}/update/", {"sex": "F"}, {"vera"}, "action"),
    (
        "services",
        "post",
        "/api/v1/referrals/{referral}/services/",
        {"kind": "shelter", "provider_kind": "ngo", "provider_name": "GS", "started_on": "2024-01-01"},
        {"vera"},
        "action",
    ),
    ("prosecution list", "get", "/api/v1/prosecutions/", None, {"percy", "andy"}, "list"),
    (
        "prosecution record",
        "post",
        "/api/v1/prosecutions/record/",
        {"kind": "prosecution", "offence": "trafficking", "on": "2022-02-01", "file_reference": "MP-1"},
        {"percy", "carol"},
        "action",
    ),
]
PERSONAS = ["oscar", "alice", "bob", "carol", "percy", "vera", "andy"]


def _fill(value, world):
    if isinstance(value, str):
        if value == "{dsal_findings}":
            return world.dsal_findings
        return value.format(**world.__dict__)
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


@pytest.mark.parametrize(
    ("name", "method", "url", "body", "allowed", "kind"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS]
)
def test_permission_matrix(world, request, name, method, url, body, allowed, kind):
    url = _fill(url, world)
    payload = _fill(body, world)
    marker = _fill(MARKERS.get(name, ""), world)

    anonymous = (
        getattr(APIClient(), method)(url, payload, format="json")
        if payload is not None
        else APIClient().get(url)
    )
    assert anonymous.status_code in (401, 403), name
    assert anonymous["Content-Type"] == "application/problem+json"

    for persona in PERSONAS:
        if persona in allowed:
            continue
        who = request.getfixturevalue(persona)
        user = getattr(who, "user", who)
        client = signed_in(APIClient(), user)
        before = _state()
        response = client.get(url) if method == "get" else client.post(url, payload, format="json")
        if not may_use_console(user):
            # An inspector's phone token, a login with no officer record (no way in): not let in.
            assert response.status_code == 401, (name, persona, response.status_code)
        elif kind == "list":
            assert response.status_code == 200 and not _shows(response, marker), (name, persona)
        elif kind == "object":
            assert response.status_code == 404, (name, persona, response.status_code)
        else:
            assert response.status_code in (400, 403, 404), (name, persona, response.status_code)
        assert _state() == before, (name, persona)

    first = sorted(allowed)[0]
    who = request.getfixturevalue(first)
    client = signed_in(APIClient(), who.user)
    response = client.get(url) if method == "get" else client.post(url, payload, format="json")
    assert response.status_code in (200, 201), (name, first, response.content[:300])
    if kind == "list":
        assert _shows(response, marker), (name, first)
