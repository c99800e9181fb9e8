"""The dry run and the apply run in a real Celery worker over a broker: the upload answers at once,
the page follows the worker, and the outbox's message went through the broker."""

from __future__ import annotations

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from backend.outbox.models import OutboxMessage
from backend.registry.models import Site
from backend.registry_import.models import RegistryImport
from tests import factories
from tests.browser_support import sign_in_client
from tests.outbox.conftest import broker
from tests.registry_import.support import FILES

PASSWORD = "correct-horse-battery"


def wait_for(item, *statuses):
    deadline = time.monotonic() + 60  # generous: CI machines are shared
    while time.monotonic() < deadline:
        item.refresh_from_db()
        if item.status in statuses:
            return item
        time.sleep(0.1)
    raise AssertionError(f"import still {item.status}")


@pytest.mark.django_db(transaction=True)
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_a_real_worker_checks_and_applies_an_upload(client):
    factories.officer("PSP", username="ada", roles=("administrator",))
    sign_in_client(client, "ada", PASSWORD)
    url = os.environ.get("CELERY_TEST_BROKER_URL", "memory://")
    with (
        broker(url, result_backend="cache+memory://") as app,
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30),
    ):
        upload = SimpleUploadedFile("sites_bom.csv", (FILES / "sites_bom.csv").read_bytes())
        response = client.post("/registry/imports/", {"kind": "sites", "file": upload})
        assert response.status_code == 302
        item = wait_for(RegistryImport.objects.get(), RegistryImport.Status.READY)
        assert item.counts["create"] == 3 and Site.objects.count() == 0
        assert client.post(f"/registry/imports/{item.uuid}/apply/").status_code == 302
        wait_for(item, RegistryImport.Status.APPLIED)
    assert Site.objects.filter(external_id__in=["S-001", "S-002", "S-003"]).count() == 3
    # Both went through the broker (a relay to it is "heard"), not in-process.
    relayed = dict(OutboxMessage.objects.values_list("task_name", "heard_at"))
    assert set(relayed) == {"registry_import.check", "registry_import.apply"}
    assert all(relayed.values()), relayed
