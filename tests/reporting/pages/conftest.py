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
