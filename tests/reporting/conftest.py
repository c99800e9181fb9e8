"""The demo city with its five years of history, loaded once per test session and rolled back
after it; and the personas of the statistics API.

Personas: ``andy`` a DSAL analyst, ``adele`` a PSP administrator (role), ``paula`` a PSP planner
(shared), ``carol`` a DSAL reviewer (shared), ``alice`` a PSP inspector (shared: no statistics),
``vera`` an IAS victim-protection officer (no statistics), ``oscar`` an outsider (shared).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings

from backend.demo.city import load_demo
from backend.demo.history import load_history
from tests import factories

START = dt.date(2026, 1, 5)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def history(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo registry (a third of its size: the history tops up the employment agencies) and
    the 2019–2023 history, as ``manage.py load_demo`` records them: loaded once for the session
    (8–18 s each time on PostgreSQL) in a transaction rolled back at its end. The tests that ask
    for it run last, together (``tests/conftest.py``: ``pytest_collection_modifyitems``), so no
    other test sees it; each runs in a savepoint of its own, and a module that builds on it
    (rollups) does so in a savepoint it rolls back."""
    logins_file = tmp_path_factory.mktemp("demo") / "demo_logins.json"
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        load_demo(seed=1, start=START, scale=0.3, logins_file=logins_file)
        counts = load_history(seed=1)
        yield counts
        transaction.set_rollback(True)
    _vacuum_after_rollback(django_db_blocker)


def _vacuum_after_rollback(django_db_blocker):
    """PostgreSQL keeps a rolled-back history's rows as dead tuples until a vacuum: after a few
    modules, every later test's scans read tens of thousands of them (the rollups' property
    test ran 9 s alone and 45–70 s after the history modules). Vacuumed here, the next module
    starts on tables as small as their rows."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("VACUUM")


@pytest.fixture
def andy(db):
    return factories.officer("DSAL", username="andy", full_name="Andy Analyst", roles=("analyst",))


@pytest.fixture
def adele(db):
    return factories.officer(
        "PSP", username="adele", full_name="Adele Admin", roles=("administrator",), sex="F"
    )


@pytest.fixture
def vera(db):
    return factories.officer("IAS", username="vera", roles=("victim_protection",), sex="F")


LOCAL = dt.timezone(dt.timedelta(hours=8))  # Asia/Macau has no daylight saving


@pytest.fixture
def template_version(db):
    from backend.checklists.selectors import template_version_latest
    from backend.checklists.services import checklists_load_builtin

    checklists_load_builtin()
    return template_version_latest(code="venue_prostitution_trafficking")


@pytest.fixture
def record(template_version):
    """``record(site, agency_code, category, at=datetime, status="closed")``: an inspection of
    record, as the field leaves it once done (the history loader writes the same rows)."""
    from backend.inspections.models import Inspection

    def make(site, agency_code, category, *, at, status="closed", operation=None):
        return Inspection.objects.create(
            site=site,
            category=category,
            agency=factories.agency(agency_code),
            template_version=template_version,
            planned_start=at,
            planned_end=at + dt.timedelta(hours=1),
            status=status,
            operation=operation,
        )

    return make
