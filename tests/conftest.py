"""Shared fixtures: personas that make permission tests read like prose.

- ``alice``: an inspector of the police (PSP)
- ``bob``: an inspector of the labour bureau (DSAL)
- ``carol``: a DSAL reviewer (another officer of Bob's agency)
- ``paula``: a planner (PSP)
- ``oscar``: an outsider: a login with no officer record
"""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from backend.audit import db_guard
from backend.registry.selectors import agencies_forget
from tests import factories

pytest_plugins = ["tests.browser_support"]

PASSWORD = "correct-horse-battery"  # every persona's password (tests.factories)

# CI's two passes (``.ci/run`` sets CI_PASS), run side by side on two cores, share the suite so
# that each test runs where it tells something and the two end together:
# - a test that touches a database runs on both where the database may change its answer
#   (``BOTH_DATABASES``); a module of others runs once, in one pass or the other (``_dealt``);
# - a test that touches no database (no ``db``, ``transactional_db`` or ``live_server``, no
#   ``django_db`` mark) answers the same on both: it runs in the SQLite pass only, unless its
#   module reaches PostgreSQL or the broker another way (``DATABASE_URL``, the worker tests'
#   ``CELERY_TEST_BROKER_URL``), or it is marked postgres, stack or faults;
# - the browser tests run once: the field app's syncing journeys (what PostgreSQL's concurrency
#   and constraints decide: offline work synced, retried, corrected, shared, refused) in the
#   PostgreSQL pass, the field app's other screens and the console's in the SQLite pass (the
#   pages read through the same ORM on both);
# - the production stack starts its own PostgreSQL and runs in the PostgreSQL pass.
# ``make test`` (no CI_PASS) runs everything.
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
FIELD_APP_SYNCING = tuple(
    f"tests/mobile_api/field/test_{name}.py"
    for name in (
        "offline_journey",
        "sync_recovery",
        "already_sent",
        "shared_phone",
        "corrections",
        "discard_refused",
        "visit_state",
        "correct_read_back",
        "sign_out_checkins",
    )
)
# Browser tests of the console run in the PostgreSQL pass too where the SQLite pass would
# otherwise end last (the admin's forms read the same ORM on both): the passes end together.
CONSOLE_IN_POSTGRESQL = ("tests/console/test_admin_forms_browser.py",)
OTHER_WAYS_IN = ("DATABASE_URL", "CELERY_TEST_BROKER_URL")


def _ci_pass_of(item) -> str:
    """Which CI pass runs ``item``: "postgresql", "sqlite" or "both"."""
    path = item.nodeid.split("::", 1)[0]
    if item.get_closest_marker("browser"):
        return "postgresql" if path in FIELD_APP_SYNCING + CONSOLE_IN_POSTGRESQL else "sqlite"
    if item.get_closest_marker("stack"):
        return "postgresql"
    if path.startswith(DEMO_PACKAGE) and not path.startswith(BOTH_DATABASES):
        return "sqlite"
    if any(item.get_closest_marker(m) for m in ("postgres", "faults", "django_db")):
        return "both"
    if set(item.fixturenames) & DATABASE_FIXTURES:
        return "both"
    source = item.path.read_text(encoding="utf-8") if item.path else ""
    return "both" if any(word in source for word in OTHER_WAYS_IN) else "sqlite"


def pytest_collection_modifyitems(config, items):
    # The demo history (tests/reporting/conftest.py) is loaded once for the session, in a
    # transaction open until its end: the tests that read it run last, together, in the order
    # they were collected, so no other test sees it (and it is loaded once, not once a module).
    items[:] = sorted(items, key=lambda item: "history" in item.fixturenames)
    ci_pass = os.environ.get("CI_PASS", "")
    if not ci_pass:
        return
    if ci_pass not in ("postgresql", "sqlite"):
        raise pytest.UsageError(f"CI_PASS={ci_pass!r}: postgresql or sqlite")
    passes = _dealt({item.nodeid: _ci_pass_of(item) for item in items}, items)
    kept, left = [], []
    for item in items:
        (kept if passes[item.nodeid] in (ci_pass, "both") else left).append(item)
    shard = os.environ.get("CI_SHARD", "")
    if shard:
        kept, other = _sharded(kept, shard)
        left += other
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


# The tests whose answer may differ between the two databases run on both: what each writes and
# how (ingest, idempotency, constraints, the outbox's locking), the officers' API, raw SQL and the
# rollups, backups, migrations, and the demo that `make run` loads. Every other module's database
# tests answer through the ORM alone: they run once, in the pass that ends sooner (``_dealt``),
# which keeps CI within its twenty minutes on a machine a fifth of whose CPU is taken by its host.
BOTH_DATABASES = (
    "tests/inspections/",
    "tests/mobile_api/test_",
    "tests/outbox/",
    "tests/reporting/test_rollups",
    "tests/reporting/test_statistics",
    "tests/core/test_backup",
    "tests/core/test_prepared",
    "tests/demo/test_city",
)
DEAL_WEIGHT = {"browser": 4.0, "stack": 40.0, "faults": 40.0, "other": 0.35}
# The demo's package shares one demo, loaded once a package and pass (a minute on PostgreSQL, half
# that on SQLite): dealt module by module it was loaded in both passes. Its tests run in the SQLite
# pass, the database `make run` loads the demo into; test_city loads it on both.
DEMO_PACKAGE = "tests/demo/"
PG_SLOWER = 1.45


def _dealt(passes: dict[str, str], items) -> dict[str, str]:
    """``passes`` with each module whose tests run on both databases, but need not
    (``BOTH_DATABASES``), given to one pass: whole modules, heaviest first, to the pass with the
    less work so far (the tests only one pass runs counted first). The same for both passes: each
    collects the same tests and deals them alike."""
    load = {"postgresql": 0.0, "sqlite": 0.0}

    def cost(item, name: str) -> float:
        kind = next((m for m in ("browser", "stack", "faults") if item.get_closest_marker(m)), "other")
        # A database test takes longer on PostgreSQL (2026-12-05: the dealt passes ended at 17 min
        # on SQLite and 24 on PostgreSQL at equal weights; at 1.6, at 18:29 on SQLite and 17:15 on
        # PostgreSQL).
        return DEAL_WEIGHT[kind] * (PG_SLOWER if kind == "other" and name == "postgresql" else 1.0)

    modules: dict[str, dict[str, float]] = {}
    for item in items:
        where, path = passes[item.nodeid], item.nodeid.split("::", 1)[0]
        if where == "both" and not path.startswith(BOTH_DATABASES) and "history" not in item.fixturenames:
            costs = modules.setdefault(path, {"postgresql": 0.0, "sqlite": 0.0})
            for name in costs:
                costs[name] += cost(item, name)
        else:
            for name in load if where == "both" else (where,):
                load[name] += cost(item, name)
    home: dict[str, str] = {}
    for path in sorted(modules, key=lambda p: (-modules[p]["sqlite"], p)):
        home[path] = min(load, key=lambda name: (load[name] + modules[path][name], name))
        load[home[path]] += modules[path][home[path]]
    if os.environ.get("CI_DEAL_DEBUG"):
        print("DEALT", load)
    return {
        nodeid: home.get(nodeid.split("::", 1)[0], where) if where == "both" else where
        for nodeid, where in passes.items()
    }


# What a test costs, roughly, in seconds, for sharding a pass: a browser test drives Chromium, a
# stack or fault test starts servers; a module's quick tests together cost at most a minute (the
# role walk's 564 cases take 30-45 s).
SHARD_WEIGHT = {"browser": 4.0, "stack": 40.0, "faults": 40.0, "other": 0.3}
SHARD_MODULE_QUICK_MAX = 60.0
# Tests that go to one shard together: the demo's package (its demo is loaded once for the
# package), the tests that read the five-year history (loaded once for the session: see
# ``history``), and the tests that start their own stack (a PostgreSQL cluster, Redis databases
# 11-12, gunicorn), which would meet on their fixed names in two shards.
SHARD_WHOLE = {
    "tests/demo/": "demo",
    "tests/deploy/": "stack",
    "tests/load/": "stack",
    "tests/faults/": "stack",
}


def _sharded(items, shard: str):
    """``CI_SHARD=i/n``: the items of the i-th of n shards, and the others. Whole modules (and
    the packages of SHARD_WHOLE) go to one shard, the heaviest first to the lightest shard so far,
    so the shards of a pass end together; the same for any run of the same tests."""
    try:
        index, count = (int(x) for x in shard.split("/"))
        assert 1 <= index <= count
    except (ValueError, AssertionError):
        raise pytest.UsageError(f"CI_SHARD={shard!r}: i/n, 1 <= i <= n") from None

    def unit(item) -> str:
        if "history" in item.fixturenames:
            return "history"
        path = item.nodeid.split("::", 1)[0]
        return next((unit for p, unit in SHARD_WHOLE.items() if path.startswith(p)), path)

    weight: dict[str, float] = {}
    quick: dict[str, float] = {}
    for item in items:
        kind = next((m for m in ("browser", "stack", "faults") if item.get_closest_marker(m)), "other")
        if kind == "other":
            quick[unit(item)] = quick.get(unit(item), 0.0) + SHARD_WEIGHT[kind]
        else:
            weight[unit(item)] = weight.get(unit(item), 0.0) + SHARD_WEIGHT[kind]
    for name, cost in quick.items():
        weight[name] = weight.get(name, 0.0) + min(cost, SHARD_MODULE_QUICK_MAX)
    loads = [0.0] * count
    home: dict[str, int] = {}
    for name in sorted(weight, key=lambda n: (-weight[n], n)):
        lightest = loads.index(min(loads))
        home[name] = lightest
        loads[lightest] += weight[name]
    mine = [item for item in items if home[unit(item)] == index - 1]
    return mine, [item for item in items if home[unit(item)] != index - 1]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas and sign-ins hash passwords: the real hasher's deliberate slowness costs minutes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request or a test that activated another
    (a page read in Portuguese) leaves it active on the thread, and a later test reading a
    service's message got it in Portuguese."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_map_tiles(settings):
    """Tests never fetch map tiles: maps draw from the files shipped with the project."""
    settings.MAP_TILE_URL = ""


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Failed sign-in counters live in the cache: one test's failures must not lock another."""
    cache.clear()
    agencies_forget()  # agencies by code, kept per process: another test's rows are gone
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    """Uploads of a test go to a folder of its own, never to var/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def phone(db):
    """``phone(officer)``: an API client signed in through the officers' API with a device token."""

    def sign_in(officer, device="test phone") -> APIClient:
        client = APIClient()
        assert phone_signed_in(client, officer.user.username, PASSWORD, device=device)
        return client

    return sign_in


def make_persona(name: str):
    """The shared persona ``name`` (alice, bob, carol, paula or oscar), created in the database:
    the fixtures below, and module-scoped worlds that need the same people once per module."""
    if name == "oscar":
        from django.contrib.auth import get_user_model

        return get_user_model().objects.create_user(username="oscar", password=PASSWORD)
    return {
        "alice": lambda: factories.officer("PSP", username="alice", full_name="Alice Police", sex="F"),
        "bob": lambda: factories.officer(
            "DSAL", username="bob", full_name="Bob Labour", roles=("inspector",)
        ),
        "carol": lambda: factories.officer(
            "DSAL", username="carol", full_name="Carol Reviewer", roles=("reviewer",), sex="F"
        ),
        "paula": lambda: factories.officer(
            "PSP", username="paula", full_name="Paula Planner", roles=("planner",), sex="F"
        ),
    }[name]()


@pytest.fixture
def alice(db):
    return make_persona("alice")


@pytest.fixture
def bob(db):
    return make_persona("bob")


@pytest.fixture
def carol(db):
    return make_persona("carol")


@pytest.fixture
def paula(db):
    return make_persona("paula")


@pytest.fixture
def oscar(db):
    return make_persona("oscar")


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, signed in through the console's sign-in page with its
    password and a second factor, as an administrator signs in."""
    signed_in(client, admin_user)
    return client


def signed_in(client, user, *, password: str | None = None, sessions: dict | None = None):
    """Sign ``client`` in as ``user`` by the first way in that lets them, as they would: the
    console's sign-in page (password, then the code of an authenticator, enrolled on the way if
    they have none) for a back-office login; else the officers' API, whose device token is all
    a field officer holds (it opens no back-office endpoint: 401); else none (a login with no
    officer record and no staff rights has no way in, and stays signed out). A session already
    opened for ``user`` on this client (``sessions``: user pk → session cookie) is taken up
    again, as a browser keeps a signed-in tab, rather than signing in twice within one code's
    time."""
    from django.conf import settings as django_settings

    from tests.browser_support import sign_in_client

    cookie = django_settings.SESSION_COOKIE_NAME
    if hasattr(client, "credentials"):
        client.credentials()
    if sessions is not None and user.pk in sessions:
        client.cookies[cookie] = sessions[user.pk]
        return client
    client.cookies.pop(cookie, None)
    if password is None:  # the personas' (tests.factories), else pytest-django's admin's
        password = PASSWORD if user.check_password(PASSWORD) else "password"
    if client.post("/sign-in/", {"username": user.username, "password": password}).status_code == 302:
        client.cookies.pop(cookie, None)
        sign_in_client(client, user.username, password)
        if sessions is not None:
            sessions[user.pk] = client.cookies[cookie].value
        return client
    client.cookies.pop(cookie, None)
    phone_signed_in(client, user.username, password)
    return client


def phone_signed_in(client, username: str, password: str, *, device: str = "test phone") -> bool:
    """Sign ``client`` in through the officers' API, as the field app does: its requests carry
    the device token the sign-in gives. False, and the client unchanged, if the sign-in is refused."""
    response = client.post(
        "/api/mobile/v1/auth/sign-in/",
        {"username": username, "password": password, "device_name": device},
        content_type="application/json",
    )
    if response.status_code != 201:
        return False
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    return True


@pytest.fixture
def api():
    """An API client; ``api.as_(officer_or_user)`` signs it in, as that user signs in
    (``signed_in``)."""

    client = APIClient()
    sessions: dict = {}

    def as_(who):
        return signed_in(client, getattr(who, "user", who), sessions=sessions)

    client.as_ = as_
    return client


@pytest.fixture(autouse=True)
def _audit_guard_survives_flush(request):
    """SQLite's audit triggers refuse DELETE, and a transactional test's flush deletes every
    row: lift the guard for that flush, and put it back before every database test, so each
    test sees the guard (and the rollups' clocks) exactly as a migrated database has them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction", False)) or (
        "transactional_db" in request.fixturenames
    )
    uses_db = transactional or marker is not None or "db" in request.fixturenames
    if not uses_db:
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    if connection.vendor == "sqlite":
        _run(db_guard.SQLITE_UP)
    _rollup_clocks_as_migrated()
    yield
    if transactional and connection.vendor == "sqlite":
        _run(db_guard.SQLITE_DOWN)


def _rollup_clocks_as_migrated():
    """The rollups' clocks that the reporting migrations set on a database without rollups (which
    breakdowns the rollups can answer): a transactional test's flush deletes them, and a test run
    after it in the same process read the records where a migrated database reads the rollups.
    Which tests come after a flush depends on how ``make test`` shares the modules among its
    processes, so they are put back before every database test, as the audit guard is."""
    from django.utils import timezone

    from backend.reporting.models import RollupClock
    from backend.reporting.statistics import (
        DISTINCT_PAIRS_CLOCK,
        FINDING_CATEGORY_CLOCK,
        SITE_LEVELS_CLOCK,
        WEEK_DISTINCT_CLOCK,
    )

    keys = (SITE_LEVELS_CLOCK, WEEK_DISTINCT_CLOCK, DISTINCT_PAIRS_CLOCK, FINDING_CATEGORY_CLOCK)
    now = timezone.now()
    RollupClock.objects.bulk_create([RollupClock(key=key, as_of=now) for key in keys], ignore_conflicts=True)


def _run(statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture
def admin_console(db):
    """PSP's administrator (adele), signed in through the console's sign-in page, second factor
    included: a Django test client holding her session, as the admin's tests use it."""
    from django.test import Client

    from tests.browser_support import sign_in_client

    factories.officer("PSP", username="adele", roles=("administrator",), full_name="Adele Admin")
    client = Client()
    sign_in_client(client, "adele", "correct-horse-battery")
    return client


@pytest.fixture
def root_console(db, django_user_model):
    """A login with no officer record (``createsuperuser``'s, "boot"), signed in as ``admin_console``
    is: it manages every agency's records and logins, where adele manages PSP's."""
    from django.test import Client

    from tests.browser_support import sign_in_client

    django_user_model.objects.create_superuser("boot", "boot@example.invalid", "correct-horse-battery")
    client = Client()
    sign_in_client(client, "boot", "correct-horse-battery")
    return client
