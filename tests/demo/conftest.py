"""The demo as ``manage.py load_demo`` loads it, once for the whole package of demo tests."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from backend.reporting.services import rollup_refresh_queued

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=str(folder / "media")),
        transaction.atomic(),
    ):
        loaded, printed = io.StringIO(), io.StringIO()
        call_command("load_demo", f"--logins-file={folder / 'logins.json'}", stdout=loaded)
        call_command("demo_logins", f"--logins-file={folder / 'logins.json'}", stdout=printed)
        # Under `make run` the load's commit drains the rollups' queue (no broker: in process);
        # this transaction never commits, so drain it here as that commit would.
        rollup_refresh_queued()
        passwords = {}
        for line in printed.getvalue().splitlines():
            _role, username, password = line.split(" ")
            passwords[username] = password
        yield SimpleNamespace(output=loaded.getvalue(), passwords=passwords, now=timezone.now())
        transaction.set_rollback(True)
