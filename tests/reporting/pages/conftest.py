"""The analyst's browser tests' demo city: the demo with its history, and an analyst."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from backend.demo.city import load_demo
from backend.demo.history import load_history
from tests import factories

# The demo city as first loaded in this process, on SQLite: a copy of the test database's file.
_SNAPSHOT: dict[str, Path] = {}


@pytest.fixture
def city(tmp_path, tmp_path_factory, settings):
    """The demo city with its five-year history, and the analyst Andy, for a browser test (its
    live server sees only what is committed, so the session's rolled-back ``history`` will not
    do). Loading takes about 5 s; on SQLite the first test's database is copied (the backup API)
    and the next tests get the copy back in a fraction of a second. Each test's own changes go
    with the flush that ends it."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    snapshot = _SNAPSHOT.get("city")
    if connection.vendor == "sqlite" and snapshot is not None:
        connection.ensure_connection()
        with closing(sqlite3.connect(snapshot)) as source:
            source.backup(connection.connection)
        ContentType.objects.clear_cache()  # the copy's ids, not those the flush left cached
        return
    load_demo(seed=1, start=dt.date(2026, 1, 5), scale=0.3, logins_file=tmp_path / "logins.json")
    load_history(seed=1)
    factories.officer("DSAL", username="andy", full_name="Andy Analyst", roles=("analyst",))
    if connection.vendor == "sqlite":
        snapshot = tmp_path_factory.mktemp("city") / "city.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(snapshot)) as copy:
            connection.connection.backup(copy)
        _SNAPSHOT["city"] = snapshot


@pytest.fixture
def analyst(client, andy):
    """A test client signed in as the analyst Andy through the console's sign-in page. A module
    that reads the five-year history asks for it too (``pytest.mark.usefixtures("history")``)."""
    from tests.browser_support import sign_in_client

    sign_in_client(client, "andy", "correct-horse-battery")
    return client
