"""The back-office API as an integrator's script meets it: a token made through
POST /api/v1/auth/tokens/ (password and authenticator code), lists read and filtered, answers
checked against the published schema (/api/schema/), mistakes made on purpose.

- Every answer validates against its operation's schema: a field that can be null says so
  (a case without a follow-up, a routine visit without an operation, a prosecution recorded
  without a case), and a venue's hours are ``20:00`` as documented, not OpenAPI's ``format: time``.
- A filter value the list never takes is a 400 problem naming the parameter (in the reader's
  language), never an empty list that reads as "nothing there".
- The browsable page of the API, asked for by a token of a role that signs in to the console with a
  second factor, draws instead of answering 500.
"""

from __future__ import annotations

import uuid
from typing import Any

import jsonschema
import pytest
from rest_framework.test import APIClient

from backend.accounts.models import ApiToken
from backend.compliance import services as compliance
from backend.registry.models import Officer
from tests import factories
from tests.accounts.test_api_tokens import code, enrol
from tests.compliance.conftest import _fast_passwords, agency_visit, andy, catalogue, joint, percy  # noqa: F401
from tests.conftest import PASSWORD


def _script(user: Any) -> APIClient:
    """A client signed in as a script is: a token from the token endpoint."""
    client = APIClient()
    device = enrol(user)
    body = {"username": user.username, "password": PASSWORD, "name": "export", "otp_code": code(device, 1)}
    response = client.post("/api/v1/auth/tokens/", body, format="json")
    assert response.status_code == 201, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    return client


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0's schema as JSON Schema: ``nullable`` as a null type, references to $defs."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/$defs/")
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def _mismatches(schema: dict[str, Any], path: str, response: Any, method: str = "get") -> list[str]:
    operation = schema["paths"][path][method]
    content_type = response["Content-Type"].split(";")[0]
    answer = operation["responses"][str(response.status_code)]
    missing = [f"header {name}" for name in answer.get("headers", {}) if not response.has_header(name)]
    if missing:
        return missing
    documented = answer["content"][content_type]["schema"]
    body_schema = {**_json_schema(documented), "$defs": _json_schema(schema["components"]["schemas"])}
    validator = jsonschema.Draft202012Validator(body_schema, format_checker=jsonschema.FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json())]


@pytest.fixture
def carol_script(carol):
    return _script(carol.user)


def test_answers_match_the_published_schema(joint, agency_visit, carol, percy, bob, carol_script):  # noqa: F811
    construction = joint.submit_construction(bob)
    compliance.submission_approve(user=carol.user, submission=construction.submission)
    compliance.submission_approve(user=percy.user, submission=construction.submission)
    official = [f for f in construction.findings if f.competent_agency_code == "DSAL"]
    opened = carol_script.post(
        "/api/v1/cases/open/",
        {"findings": [str(f.uuid) for f in official], "reason": "Found on inspection"},
        format="json",
    )
    assert opened.status_code == 201, opened.content
    recorded = carol_script.post(
        "/api/v1/prosecutions/record/",
        {"kind": "transfer", "offence": "illegal_work", "on": "2026-01-05", "file_reference": "T-1"},
        format="json",
    )
    assert recorded.status_code == 201, recorded.content
    factories.site(kind="venue", name_en="Night Owl")  # open 20:00–04:00
    schema = carol_script.get("/api/schema/?format=json").json()

    answers = {path: carol_script.get(path) for path in ("/api/v1/cases/", "/api/v1/review/queue/")}
    answers["/api/v1/prosecutions/"] = carol_script.get("/api/v1/prosecutions/")
    answers["/api/v1/sites/"] = carol_script.get("/api/v1/sites/", {"kind": "venue"})

    queue = answers["/api/v1/review/queue/"].json()["results"]
    assert None in {item["operation"] for item in queue}  # Bob's routine visit
    assert answers["/api/v1/cases/"].json()["results"][0]["follow_up"] is None
    assert answers["/api/v1/prosecutions/"].json()["results"][0]["case"] is None
    hours = answers["/api/v1/sites/"].json()["results"][0]["opening_hours"][0]
    assert (hours["opens"], hours["closes"]) == ("20:00", "04:00")
    for path, response in answers.items():
        assert response.status_code == 200, response.content
        assert _mismatches(schema, path, response) == [], path


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        ("/api/v1/cases/", "status", "opened"),
        ("/api/v1/cases/", "company", "Lucky Build"),
        ("/api/v1/review/queue/", "category", "construction"),
        ("/api/v1/review/queue/", "site_kind", "building_site"),
        ("/api/v1/review/queue/", "severity", "severe"),
        ("/api/v1/review/queue/", "potential_victim", "yes"),
        ("/api/v1/review/findings/", "severity", "severe"),
        ("/api/v1/review/findings/", "submission", "last"),
        ("/api/v1/referrals/", "status", "open"),
        ("/api/v1/referrals/", "urgency", "urgent"),
        ("/api/v1/prosecutions/", "kind", "judgement"),
        ("/api/v1/compliance/ranking/", "kind", "agency"),
        ("/api/v1/compliance/register.csv", "kind", "agency"),
        ("/api/v1/compliance/register.csv", "open_cases", "maybe"),
    ],
)
def test_a_filter_value_the_list_never_takes_is_refused_naming_it(carol_script, path, name, value):
    response = carol_script.get(path, {name: value})
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == [name]


def test_a_refused_filter_value_lists_the_values_in_the_readers_language(carol_script):
    response = carol_script.get("/api/v1/cases/", {"status": "opened"}, HTTP_ACCEPT_LANGUAGE="pt")
    body = response.json()
    assert body["title"] == "Os dados introduzidos não são válidos."
    assert body["errors"]["status"] == ["Deve ser um de: open, notice_issued, follow_up, closed."]


def test_the_documented_filters_are_in_the_schema_with_their_values(carol_script):
    schema = carol_script.get("/api/schema/?format=json").json()
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert sorted(parameters["status"]["enum"]) == ["closed", "follow_up", "notice_issued", "open"]
    assert parameters["company"]["format"] == "uuid"


def test_browsable_page_of_a_second_factor_role_signed_in_by_token(settings, carol_script):
    settings.CONSOLE_2FA_REQUIRED = True
    response = carol_script.get("/api/v1/cases/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_a_misspelt_field_of_a_token_request_is_refused_not_dropped(andy):  # noqa: F811
    """``expires_in_day`` (one letter short) made a token of the default 90 days, not the 7 asked."""
    body = {"username": andy.user.username, "password": PASSWORD, "name": "weekly", "expires_in_day": 7}
    response = APIClient().post("/api/v1/auth/tokens/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-Hant")
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"expires_in_day": ["未知的欄位。"]}
    assert not ApiToken.objects.filter(user=andy.user).exists()


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        ("/api/v1/sites/", "is_active", "yes"),
        ("/api/v1/officers/", "is_active", "1"),
        ("/api/v1/officers/", "agency", "LABOUR"),
    ],
)
def test_a_registry_filter_value_it_never_takes_is_refused(carol_script, path, name, value):
    """django-filter read a yes/no it did not know as "not given" and listed everything; an unknown
    agency listed nobody."""
    response = carol_script.get(path, {name: value}, HTTP_ACCEPT_LANGUAGE="zh-Hant")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [name]


def test_registry_yes_no_filters_still_filter(carol, carol_script):
    gone = factories.officer("DSAL", username="gone", full_name="Gone Away")
    Officer.objects.filter(pk=gone.pk).update(is_active=False)
    listed = carol_script.get("/api/v1/officers/", {"is_active": "false", "agency": "DSAL"}).json()["results"]
    assert [o["full_name"] for o in listed] == ["Gone Away"]
    bad = carol_script.get("/api/v1/sites/", {"is_active": "maybe"}, HTTP_ACCEPT_LANGUAGE="pt").json()
    assert bad["errors"] == {"is_active": ["Tem de ser true ou false."]}


def test_errors_are_documented_as_the_problems_they_are(carol_script):
    """The schema listed 2xx answers only: a generated client had no type for the errors."""
    schema = carol_script.get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            if path.startswith("/api/v1/") and operation.get("security"):
                documented = operation["responses"]["401"]["content"]
                assert documented == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                }
    anonymous = APIClient()
    errors = {
        "/api/v1/cases/": carol_script.get(
            "/api/v1/cases/", {"status": "opened"}, HTTP_ACCEPT_LANGUAGE="zh-Hant"
        ),
        "/api/v1/cases/{case_id}/": carol_script.get(f"/api/v1/cases/{uuid.uuid4()}/"),
        "/api/v1/planning/operations/": carol_script.get("/api/v1/planning/operations/"),
        "/api/v1/me/": anonymous.get("/api/v1/me/"),
    }
    assert [r.status_code for r in errors.values()] == [400, 404, 403, 401]
    for path, response in errors.items():
        assert _mismatches(schema, path, response) == [], path


def test_statistics_answers_are_documented_as_they_are(joint, alice, andy):  # noqa: F811
    """The catalogue and the query were documented as a bare object."""
    joint.submit_construction(alice)
    joint.submit_screening(alice)  # one potential victim: a count of people below the threshold
    script = _script(andy.user)
    schema = script.get("/api/schema/?format=json").json()
    answers = {
        "/api/v1/statistics/": [script.get("/api/v1/statistics/")],
        "/api/v1/statistics/query/": [
            script.get(
                "/api/v1/statistics/query/",
                {"measure": "inspections", "by": "year,category", "source": "raw"},
            ),
            script.get(
                "/api/v1/statistics/query/", {"measure": "potential_victims", "by": "month", "source": "raw"}
            ),
            script.get(
                "/api/v1/statistics/query/", {"measure": "inspections", "by": "year", "fill": "zeros"}
            ),
        ],
    }
    for path, responses in answers.items():
        for response in responses:
            assert response.status_code == 200, response.content
            assert _mismatches(schema, path, response) == [], path
    rows = answers["/api/v1/statistics/query/"][0].json()["rows"]
    assert rows and isinstance(rows[0]["year"], int)
    assert answers["/api/v1/statistics/query/"][1].json()["suppressed"] is True
    assert schema["components"]["schemas"]["StatisticsQueryOutput"]["properties"]["from"]["nullable"] is True


def test_the_register_csv_still_takes_the_pages_checkbox(carol_script):
    for value in ("on", "true", "false"):
        response = carol_script.get(
            "/api/v1/compliance/register.csv", {"open_cases": value, "kind": "contractor"}
        )
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_the_largest_page_is_documented_and_a_larger_one_refused(carol_script):
    """``?limit=1000`` was served 500 rows without a word; the schema said nothing of a maximum."""
    schema = carol_script.get("/api/schema/?format=json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert parameters["limit"]["schema"] == {"type": "integer", "minimum": 0, "maximum": 500}
    assert "at most 500" in parameters["limit"]["description"]
    response = carol_script.get("/api/v1/cases/", {"limit": "1000"})
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"limit": ["A whole number from 0 to 500."]}
    assert _mismatches(schema, "/api/v1/cases/", response) == []


def test_the_token_endpoints_refusals_are_documented(settings, carol, andy):  # noqa: F811
    """Its 401, 403 and 429 were not in the schema: a generated client knew only 201 and 400."""
    schema = APIClient().get("/api/schema/?format=json").json()
    path = "/api/v1/auth/tokens/"
    for status in ("401", "403", "429"):
        assert schema["paths"][path]["post"]["responses"][status]["description"]
    settings.CONSOLE_2FA_REQUIRED = True
    settings.CONSOLE_SIGNIN_MAX_FAILURES = 2
    asked = {"username": carol.user.username, "password": PASSWORD, "name": "export"}
    refusals = {
        "second_factor_enrolment_required": APIClient().post(path, asked, format="json"),
        "invalid_credentials": APIClient().post(path, {**asked, "password": "wrong"}, format="json"),
        "too_many_attempts": APIClient().post(path, asked, format="json"),
    }
    assert [r.status_code for r in refusals.values()] == [403, 401, 429]
    for code_, response in refusals.items():
        assert response.json()["code"] == code_
        assert _mismatches(schema, path, response, "post") == [], code_


LISTS = [
    "/api/v1/auth/tokens/",
    "/api/v1/me/conflicts/",
    "/api/v1/sites/",
    "/api/v1/officers/",
    "/api/v1/review/queue/",
    "/api/v1/review/findings/",
    "/api/v1/violations/",
    "/api/v1/cases/",
    "/api/v1/compliance/ranking/",
    "/api/v1/compliance/register.csv",
    "/api/v1/referrals/",
    "/api/v1/prosecutions/",
]


@pytest.mark.parametrize("path", LISTS)
def test_a_parameter_a_list_does_not_take_is_refused_naming_it(carol_script, path):
    """``?stauts=open`` was ignored and the whole list answered, read as the filtered one."""
    response = carol_script.get(path, {"stauts": "open"})
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert list(errors) == ["stauts"]
    assert errors["stauts"][0].startswith("Unknown parameter. This list takes: ")
    assert "format" in errors["stauts"][0]


@pytest.mark.parametrize(
    "path", ["/api/v1/planning/due-work/", "/api/v1/planning/operations/", "/api/v1/planning/programmes/"]
)
def test_a_parameter_a_planners_list_does_not_take_is_refused(paula, path):
    response = _script(paula.user).get(path, {"agency": "DSAL"})
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["agency"]


def test_the_accepted_parameters_are_the_documented_ones_in_the_readers_language(carol_script):
    response = carol_script.get(
        "/api/v1/cases/", {"status": "open", "sorting": "x", "page": "2"}, HTTP_ACCEPT_LANGUAGE="zh-Hant"
    )
    assert response.status_code == 400, response.content
    taken = "company, format, limit, offset, site, status"
    assert response.json()["errors"] == {
        name: [f"未知的參數。此列表接受的參數：{taken}。"] for name in ("sorting", "page")
    }
    schema = carol_script.get("/api/schema/?format=json").json()
    assert "does not take" in schema["paths"]["/api/v1/cases/"]["get"]["responses"]["400"]["description"]
    assert _mismatches(schema, "/api/v1/cases/", response) == []
    portuguese = carol_script.get("/api/v1/sites/", {"kinds": "venue"}, HTTP_ACCEPT_LANGUAGE="pt").json()
    assert portuguese["errors"]["kinds"][0].startswith("Parâmetro desconhecido. Esta lista aceita: ")
    assert "search" in portuguese["errors"]["kinds"][0]


def test_documented_pagination_format_ordering_and_search_are_still_taken(carol_script):
    asked = {
        "/api/v1/cases/": {"status": "open", "limit": "5", "offset": "0", "format": "json"},
        "/api/v1/review/queue/": {"ordering": "-received_at", "severity": "high"},
        "/api/v1/sites/": {"search": "Lucky", "kind": "venue", "is_active": "true"},
        "/api/v1/officers/": {"agency": "DSAL", "format": "api"},
    }
    for path, params in asked.items():
        response = carol_script.get(path, params)
        assert response.status_code == 200, (path, response.content)


def test_an_anonymous_caller_with_an_unknown_parameter_is_still_told_to_sign_in(db):
    response = APIClient().get("/api/v1/cases/", {"stauts": "open"})
    assert response.status_code == 401


def test_a_misspelt_field_of_a_write_is_refused_not_dropped(carol, carol_script):
    """``"sitee"`` was dropped and the declaration recorded without its site, answered 201."""
    site = factories.site(kind="venue", name_en="Night Owl")
    body = {"reason": "My brother runs it", "sitee": str(site.uuid)}
    response = carol_script.post("/api/v1/me/conflicts/", body, format="json", HTTP_ACCEPT_LANGUAGE="pt")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {"sitee": ["Campo desconhecido."]}
    assert carol_script.get("/api/v1/me/conflicts/").json() == []
    body = {"reason": "My brother runs it", "site": str(site.uuid)}
    assert carol_script.post("/api/v1/me/conflicts/", body, format="json").status_code == 201


def test_an_unknown_field_is_named_beside_the_other_errors(carol_script):
    body = {"kind": "transfer", "offence": "illegal_work", "on": "someday", "fileref": "T-1"}
    errors = _refused(carol_script, "/api/v1/prosecutions/record/", body)
    assert errors["fileref"] == ["Unknown field."]
    assert "on" in errors  # the other field's error is still said


def test_an_unknown_field_of_a_nested_object_is_named_by_its_path(paula):
    wave = {"code": "W1", "starts_at": "2026-01-05T20:00:00+08:00", "start": "20:00"}
    errors = _refused(_script(paula.user), "/api/v1/planning/operations/", {"name": "Night", "waves": [wave]})
    assert errors["waves[0].start"] == ["Unknown field."]
    assert "lead_agency" in errors


def _refused(script: APIClient, path: str, body: dict[str, Any]) -> dict[str, list[str]]:
    response = script.post(path, body, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()["errors"]
