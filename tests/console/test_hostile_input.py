"""Hostile and repeated input on the console's own forms: never a server error, nothing half
written, nothing stored twice.

The back-office API is fuzzed by Schemathesis (tests/core/test_backoffice_schemathesis.py); the
console's HTML forms are not described by any schema, so this module finds them the way a browser
does: each role allowed in opens every console page with the world's ids
(tests/core/test_role_access.py builds the world, signs every persona in through the sign-in
page and its second factor), and every ``<form>`` (and htmx ``hx-post``/``hx-get``) on those pages
is read for its action and fields. Each form is then sent with hostile values in each field in
turn: 10,000 characters, a NUL byte, a lone surrogate, impossible and absurd dates, negative and
enormous numbers, ids that are not ids, another's ids, fields missing or given twice, and bodies
of the wrong type. The answer must be below 500, and a refusal (4xx) must leave every table as it
was.
"""

from __future__ import annotations

import contextlib
import json
import re
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.urls import Resolver404, get_resolver

from tests import factories
from tests.browser_support import sign_in_client
from tests.core import test_role_access as role_access
from tests.core.test_role_access import CONSOLE, FAKE, PERSONAS, ROUTES, Route, _rule_for, _state, _urls

# The world of the role walk (its people signed in through the sign-in page and the second factor,
# a revealed joint operation with its submissions, case and referral, a sealed operation, a
# programme, due work, an import), built once for this module too.
_built = role_access._built
world = role_access.world

# --- The hostile values ------------------------------------------------------------------------------

LONG = "x" * 10_000
# Each is sent raw, already %-encoded, so that what no browser would send (a lone surrogate's
# UTF-8, a NUL) reaches the server as the bytes an attacker would put on the wire.
HOSTILE: dict[str, str] = {
    "long": quote(LONG),
    "nul": "a%00b",
    "surrogate": "%ED%A0%80",  # U+D800 encoded as if it were a character: not UTF-8
    "bad utf-8": "%FF%FE",
    "year one": "0001-01-01",
    "year 9999": "9999-12-31",
    "february 30": "2026-02-30",
    "negative": "-1",
    "huge": "9" * 30,
    "not a number": "abc",
    "unknown uuid": FAKE,
}

# --- Reading the forms of the console's pages ----------------------------------------------------------


class _Forms(HTMLParser):
    """Every form of a page: (method, action, [(name, value)]); an element with hx-post or hx-get
    outside a form counts as a form of its own with its hx-vals' fields."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[tuple[str, str, list[tuple[str, str]]]] = []
        self._open: list[tuple[str, str, list[tuple[str, str]]]] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            method = "post" if (a.get("method", "get").lower() == "post" or "hx-post" in a) else "get"
            action = a.get("hx-post") or a.get("hx-get") or a.get("action") or self.url
            self._open.append((method, action, []))
            return
        if not self._open and ("hx-post" in a or "hx-get" in a):
            vals = []
            with contextlib.suppress(ValueError):
                vals = list(json.loads(a.get("hx-vals") or "{}").items())
            method = "post" if "hx-post" in a else "get"
            self.forms.append((method, a.get("hx-post") or a.get("hx-get"), [(k, str(v)) for k, v in vals]))
            return
        if not self._open:
            return
        fields = self._open[-1][2]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a and any(n == name for n, _ in fields):
                return
            if kind == "submit" and "value" not in a:
                return
            fields.append((name, a.get("value") or ("on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.append((name, ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None and value:
                self._select_first = value
            if "selected" in a:
                self._select_chosen = value
        elif tag == "button" and name:
            fields.append((name, a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form" and self._open:
            self.forms.append(self._open.pop())
        elif tag == "select" and self._select and self._open:
            self._open[-1][2].append((self._select, self._select_chosen or self._select_first or ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _route_of(path: str) -> str | None:
    try:
        match = get_resolver().resolve(path)
    except Resolver404:
        return None
    return match.route


CONSOLE_ROUTES = [
    r
    for r in ROUTES
    if not r.pattern.startswith(("api/", "admin/"))
    and not r.pattern.endswith((".svg", ".pdf", ".xlsx", "pdf/", "csv/"))
    and "\\." not in r.pattern
]


def _allowed(route: Route) -> list[str]:
    rule_ = _rule_for(route.pattern, "POST") or _rule_for(route.pattern, "GET")
    return [p for p, role in PERSONAS.items() if role in CONSOLE and rule_ and role in rule_.roles]


def _pages(world) -> list[tuple[str, str]]:
    """(persona, url): every console page with the world's ids, as each role let in, and the
    pages of rows the walk's ids do not reach: the sealed (draft) operation its planner edits, the
    approved submission its reviewer opens a case from."""
    pages = [
        (persona, url)
        for route in CONSOLE_ROUTES
        if "GET" in route.methods
        for persona in _allowed(route)
        for url in _urls(route, world)
    ]
    approved = world.secrets[1]  # tests/core/test_role_access.py _build: the approved submission
    return [
        *pages,
        ("paula", f"/planning/operations/{world.sealed}/"),
        ("paula", f"/planning/operations/{world.sealed}/edit/"),
        ("carol", f"/review/{approved}/"),
    ]


def _harvest(world) -> dict[tuple[str, str, str], list[tuple[str, str]]]:
    """(persona, method, path) -> fields, from every console page each persona may open."""
    found: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for persona, url in _pages(world):
        if True:
            if True:
                response = world.clients[persona].get(url)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                parser = _Forms(url)
                parser.feed(response.content.decode(errors="replace"))
                for method, action, fields in parser.forms:
                    path = urlsplit(action).path or url
                    if _route_of(path) is None or path.startswith(
                        ("/api/", "/admin/", "/i18n/", "/sign-", "/account/")
                    ):
                        continue
                    found.setdefault((persona, method, path), fields)
    return found


def _encode(fields: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote(n)}={v}" for n, v in fields)


def _send(client, method: str, path: str, body: str, content_type="application/x-www-form-urlencoded"):
    if method == "get":
        return client.get(f"{path}?{body}")
    return client.generic("POST", path, data=body.encode("latin-1"), content_type=content_type)


def _variants(fields: list[tuple[str, str]], hostile: dict[str, str] = HOSTILE):
    """(what, body, content type): each field hostile in turn, fields missing and doubled, and
    bodies of the wrong type; the form as the page gave it last (it may write, and change what
    the others would meet). Fields numbered alike (a form's wave_code_1 … wave_code_4) are
    sent hostile once, and the CSRF token (which the test client does not check) never."""
    plain = [(n, quote(v)) for n, v in fields]
    form = "application/x-www-form-urlencoded"
    yield "nothing", "", form
    seen = set()
    for i, (name, _value) in enumerate(plain):
        kind = re.sub(r"\d+", "#", name)
        if name == "csrfmiddlewaretoken" or kind in seen:
            continue
        seen.add(kind)
        for what, value in hostile.items():
            yield f"{name}={what}", _encode([*plain[:i], (name, value), *plain[i + 1 :]]), form
        yield f"{name} twice", _encode([*plain[: i + 1], (name, quote("other")), *plain[i + 1 :]]), form
        yield f"{name} missing", _encode(plain[:i] + plain[i + 1 :]), form
    yield "json", json.dumps(dict(fields)), "application/json"
    yield "garbage multipart", "--x\r\nnot a part", "multipart/form-data; boundary=x"
    yield "multipart without boundary", "a=b", "multipart/form-data"
    yield "as given", _encode(plain), form


@pytest.fixture(scope="module")
def forms(_built, django_db_blocker):
    with django_db_blocker.unblock():
        return _harvest(_built)


def test_the_harvest_finds_the_console_forms(world, forms):
    paths = {re.sub(r"[0-9a-f-]{36}", "<id>", path) for (_p, m, path) in forms if m == "post"}
    print(sorted(paths))
    for expected in ("/review/<id>/return/", "/planning/operations/new/", "/compliance/cases/<id>/comment/"):
        assert expected in paths, sorted(paths)


def _one_persona_a_form(forms) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """Each form once, as the persona that was given the most of its fields (a planner of the
    operation rather than an administrator, the agency's reviewer rather than another's)."""
    chosen: dict[tuple[str, str], tuple[str, str, list[tuple[str, str]]]] = {}
    for (persona, method, path), fields in sorted(forms.items()):
        key = (method, _route_of(path) or path)
        if key not in chosen or (len(fields), persona != "adele") > (
            len(chosen[key][2]),
            chosen[key][0] != "adele",
        ):
            chosen[key] = (persona, path, fields)
    return [
        (persona, method, path, fields) for (method, _r), (persona, path, fields) in sorted(chosen.items())
    ]


AREAS = ["planning", "review", "compliance", "protection", "privacy", "statistics", "registry"]


@pytest.mark.parametrize("area", AREAS)
def test_no_console_form_fails_on_hostile_input(world, forms, area):
    """Each form of the area's pages: no answer is a server error, and a refusal (4xx) leaves
    every table as it was."""
    failures = []
    mine = [f for f in _one_persona_a_form(forms) if f[2].startswith(f"/{area}/")]
    assert mine, f"no form found under /{area}/"
    for persona, method, path, fields in mine:
        client = world.clients[persona]
        state = _state() if method == "post" else None
        for what, body, content_type in _variants(fields):
            if method == "get" and content_type != "application/x-www-form-urlencoded":
                continue
            response = _send(client, method, path, body, content_type)
            status = response.status_code
            if status >= 500:
                failures.append(f"{method.upper()} {path} as {persona}, {what}: {status}")
            elif method == "post":
                after = _state()
                if 400 <= status < 500 and after != state:
                    failures.append(f"{method.upper()} {path} as {persona}, {what}: {status} but wrote")
                state = after
    assert not failures, "\n".join(failures)


BAD_IDS = {"not an id": "abc", "nul": "%00", "long": "x" * 2000, "number": "1", "unknown": FAKE, "dots": ".."}


def _named_by_id(name: str) -> bool:
    return name.endswith("_id") or name in ("uuid", "lang", "kind")


@pytest.mark.parametrize(
    "route", [r for r in CONSOLE_ROUTES if any(map(_named_by_id, r.parameters))], ids=lambda r: r.pattern
)
def test_an_id_in_the_address_that_is_no_id_is_not_found(world, route):
    """Every console address with an id, asked with ids that are not ids: a 4xx (not found, or the
    method refused), never a server error, nothing written."""
    persona = _allowed(route)[0]
    before = _state()
    failures = []
    for what, bad in BAD_IDS.items():
        overrides = {name: bad for name in route.parameters if _named_by_id(name)}
        try:
            urls = [role_access._url(route, world, **overrides)]
        except Resolver404:
            continue  # the address's converter refuses it before any view (a uuid, an int)
        for url in urls:
            for method in route.methods:
                status = _send(world.clients[persona], method.lower(), url, "").status_code
                if status >= 500 or status < 400:
                    failures.append(f"{method} {url[:120]} ({what}): {status}")
    assert not failures, "\n".join(failures)
    assert _state() == before


# --- What the walk found, each fixed at its source -------------------------------------------------


@pytest.mark.parametrize(
    ("path", "field"), [("/planning/operations/new/", "agencies"), ("/planning/programmes/new/", "officers")]
)
def test_a_chosen_row_numbered_beyond_any_column_is_refused_as_no_choice(world, path, field):
    """A hand-edited checkbox value of thirty digits was a server error (OverflowError on SQLite,
    "out of range" on PostgreSQL): Django checks a list of choices with ``pk__in``, which it does
    not guard as it guards one choice."""
    before = _state()
    response = world.clients["paula"].post(
        path, {"name": "Sweep", field: "9" * 30}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200, response.status_code
    assert f"“{'9' * 30}” is not a valid value." in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("9999-12-31", "Use um ano de 1900 a 2999."),
        ("9999", "Use um ano de 1900 a 2999."),
        ("0001-01-01", "Use um ano de 1900 a 2999."),
        ("99999-01-01", "Use AAAA, AAAA-MM ou AAAA-MM-DD"),
        # Digits str.isdigit() accepts and int() refuses: the year lists' int("²²²²") was a
        # server error before the period was checked.
        ("\u00b2\u00b2\u00b2\u00b2", "Use AAAA, AAAA-MM ou AAAA-MM-DD"),
    ],
)
def test_a_period_beyond_the_calendar_is_a_question_refused(world, value, said):
    """``to=9999-12-31`` was a server error on the statistics page and its API: a period is
    counted up to the day after its end, and the calendar has no day after its last."""
    page = world.clients["andy"].get("/statistics/", {"to": value}, HTTP_ACCEPT_LANGUAGE="pt")
    assert page.status_code == 400, page.status_code
    assert said in page.content.decode()
    api = world.scripts["andy"].get("/api/v1/statistics/query/", {"measure": "inspections", "to": value})
    assert api.status_code == 400 and api["Content-Type"] == "application/problem+json", api.status_code


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "0001-01-01", "9999-12-31T23:59"])
def test_an_operation_time_in_year_one_is_refused_on_the_form(world, forms, value):
    """A reveal time of 0001-01-01 in Macau is a day before the calendar in UTC: comparing it
    with the start was a server error (OverflowError) instead of the form's error."""
    path = f"/planning/operations/{world.sealed}/edit/"
    fields = [(n, value if n == "reveal_at" else v) for n, v in forms[("paula", "post", path)]]
    before = _state()
    response = world.clients["paula"].post(path, dict(_pairs(fields)), HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert response.status_code == 200, response.status_code
    assert "請使用 1900 至 2999 年之間的年份。" in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("field", ["reveal_at", "starts_at", "ends_at"])
def test_an_operation_time_in_year_one_is_refused_by_the_service(world, field):
    """Past the form, the service itself refuses the year (a script or a command calls it):
    comparing 0001-01-01 00:00 in Macau with the other times raised OverflowError."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from backend.core.errors import InvalidInput
    from backend.inspections.models import Operation
    from scheduler import services as scheduler

    operation = Operation.objects.get(uuid=world.sealed)
    year_one = dt.datetime(1, 1, 1, tzinfo=ZoneInfo("Asia/Macau"))
    with pytest.raises(InvalidInput) as refused:
        scheduler.operation_plan_update(actor=None, operation=operation, **{field: year_one})
    assert refused.value.errors == {field: ["Use a year from 1900 to 2999."]}


@pytest.mark.parametrize("site", ["abc", "1", "%00"])
def test_a_target_that_is_no_site_is_an_unknown_site(world, site):
    """The targets' checklist sent with a value that is no site's id was a server error (a uuid
    lookup of "abc")."""
    before = _state()
    path = f"/planning/operations/{world.sealed}/targets/"
    response = _send(world.clients["paula"], "post", path, f"site={site}")
    assert response.status_code == 404
    assert _state() == before


def _pairs(fields):
    out: dict[str, list[str]] = {}
    for name, value in fields:
        out.setdefault(name, []).append(value)
    return out.items()


# --- The account pages: signing in, the second factor, one's password --------------------------------

ACCOUNT_FORMS = {
    "/sign-in/": ["username", "password"],
    "/account/password/reset/": ["email"],
}


def _hostile_bodies(names: list[str]):
    for name in names:
        for what, hostile in HOSTILE.items():
            body = [(n, hostile if n == name else "x") for n in names]
            yield f"{name}={what}", _encode(body)
        yield f"{name} twice", _encode([(n, "x") for n in names] + [(name, "y")])


@pytest.mark.parametrize("path", list(ACCOUNT_FORMS))
def test_the_account_forms_refuse_hostile_input_of_a_stranger(db, path):
    from django.test import Client

    client = Client(raise_request_exception=False)
    failures = []
    for what, body in _hostile_bodies(ACCOUNT_FORMS[path]):
        status = _send(client, "post", path, body).status_code
        if status >= 500:
            failures.append(f"{what}: {status}")
    assert not failures, "\n".join(failures)


def test_the_second_factor_and_password_forms_refuse_hostile_input(db, settings):
    """A signed-in officer halfway (password given, code not yet) and then fully."""
    from django.contrib.auth import authenticate
    from django.test import Client

    from tests.conftest import PASSWORD

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    factories.officer("DSAL", username="hilda", roles=("reviewer",))
    client = Client(raise_request_exception=False)
    assert client.post("/sign-in/", {"username": "hilda", "password": PASSWORD}).status_code == 302
    failures = []
    for what, body in _hostile_bodies(["token"]):
        status = _send(client, "post", "/sign-in/code/", body).status_code
        if status >= 500:
            failures.append(f"/sign-in/code/ {what}: {status}")
    signed_in = Client(raise_request_exception=False)
    sign_in_client(signed_in, "hilda", PASSWORD)
    names = ["old_password", "new_password1", "new_password2"]
    for what, body in _hostile_bodies(names):
        status = _send(signed_in, "post", "/account/password/", body).status_code
        if status >= 500:
            failures.append(f"/account/password/ {what}: {status}")
    assert not failures, "\n".join(failures)
    assert authenticate(username="hilda", password=PASSWORD) is not None  # the password unchanged


# --- The same form sent twice ----------------------------------------------------------------------


def test_due_work_asked_twice_is_asked_once(world, forms):
    """A planner's request for due work sent twice (a double click, the form sent again from a
    second tab) stored two requests, and the solver planned two visits to the site."""
    from backend.planning.models import DueWork

    fields = forms[("paula", "post", "/planning/due-work/")]
    body = _encode([(n, quote(v)) for n, v in fields])
    before = DueWork.objects.count()
    first = _send(world.clients["paula"], "post", "/planning/due-work/", body)
    again = _send(world.clients["paula"], "post", "/planning/due-work/", body)
    assert (first.status_code, again.status_code) == (302, 302)
    assert DueWork.objects.count() == before + 1
    # Another request for the same site (another window) is another request.
    other = [(n, quote("2999-01-01") if n in ("earliest", "latest") else quote(v)) for n, v in fields]
    assert _send(world.clients["paula"], "post", "/planning/due-work/", _encode(other)).status_code == 302
    assert DueWork.objects.count() == before + 2


def _filled(fields: list[tuple[str, str]], **values: str) -> str:
    """The form as its page gave it, with the fields a person types (by name's end) filled in."""
    out = []
    for name, value in fields:
        given = next((v for end, v in values.items() if name.endswith(end)), None)
        out.append((name, quote(given if given is not None and not value else value)))
    return _encode(out)


def test_a_case_comment_sent_twice_is_one_comment(world, forms):
    """A reviewer's comment sent twice (a double click, the form sent again from a second tab)
    stood twice on the case's timeline."""
    from backend.compliance.models import CaseEvent

    path = next(p for (who, m, p) in forms if who == "carol" and m == "post" and p.endswith("/comment/"))
    body = _filled(forms[("carol", "post", path)], text="Photos of the scaffold asked for.")
    before = CaseEvent.objects.count()
    for _n in range(2):
        assert _send(world.clients["carol"], "post", path, body).status_code == 302
    assert CaseEvent.objects.count() == before + 1
    # The same words again after something else happened on the case are a new comment.
    other = _filled(forms[("carol", "post", path)], text="Another remark.")
    assert _send(world.clients["carol"], "post", path, other).status_code == 302
    assert _send(world.clients["carol"], "post", path, body).status_code == 302
    assert CaseEvent.objects.count() == before + 3


def test_a_protection_service_sent_twice_is_one_service(world, forms):
    """A service given to a referred person, sent twice, stood twice in the person's file."""
    from backend.compliance.models import ProtectionService

    path = next(p for (who, m, p) in forms if who == "vera" and m == "post" and p.endswith("/services/"))
    body = _filled(forms[("vera", "post", path)], provider_name="Good Shepherd", started_on="2026-11-02")
    for _n in range(2):
        assert _send(world.clients["vera"], "post", path, body).status_code == 302
    assert ProtectionService.objects.count() == 1
    later = _filled(forms[("vera", "post", path)], provider_name="Good Shepherd", started_on="2026-11-20")
    assert _send(world.clients["vera"], "post", path, later).status_code == 302
    assert ProtectionService.objects.count() == 2
