"""The analyst's browser tests' demo city: the demo with its history, and an analyst."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.demo.city import load_demo
from backend.demo.history import load_history
from tests import factories


@pytest.fixture
def city(tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo(seed=1, start=dt.date(2026, 1, 5), scale=0.3, logins_file=tmp_path / "logins.json")
    load_history(seed=1)
    factories.officer("DSAL", username="andy", full_name="Andy Analyst", roles=("analyst",))


@pytest.fixture
def analyst(client, andy):
    """A test client signed in as the analyst Andy through the console's sign-in page. A module
    that reads the five-year history asks for it too (``pytest.mark.usefixtures("history")``)."""
    from tests.browser_support import sign_in_client

    sign_in_client(client, "andy", "correct-horse-battery")
    return client
