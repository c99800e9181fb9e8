"""An import no worker takes (the worker is stopped, or every one is busy), as the administrator
meets it on the import's page, in her language; and the worker back, which checks and applies it
once.

Before, an upload with the worker stopped said "received" for ever, and an import applied then
"applying" under a spinner for ever, with nothing to say why or that it would go on by itself."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from backend.audit.models import AuditEntry
from backend.outbox import relay
from backend.outbox.models import WAITING_NOTICE_SECONDS, OutboxMessage
from backend.outbox.selectors import task_waiting_for_worker
from backend.registry.models import Site
from backend.registry_import import services
from backend.registry_import.models import RegistryImport
from tests.outbox.conftest import broker
from tests.registry_import.support import FILES

pytestmark = pytest.mark.django_db(transaction=True)

STATUS = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "import-status"}
WAITING = {
    "en": "No worker has taken this import yet: they are all busy, or stopped.",
    "pt": "Nenhum processo de trabalho pegou ainda nesta importação: estão todos ocupados, ou parados.",
    "zh-hant": "尚未有工作程序接手本次匯入：它們都在忙，或已停止。",
}
TO_CHECK = {
    "en": "The file is kept and checked by itself when one is free or back",
    "pt": "O ficheiro fica guardado e é verificado por si quando um estiver livre ou de volta",
    "zh-hant": "檔案已保留，待有工作程序空出或恢復後會自動檢查",
}
TO_APPLY = {
    "en": "Nothing is changed until one does: the import is kept and applied by itself",
    "pt": "Nada é alterado até que um o faça: a importação fica guardada e é aplicada por si",
    "zh-hant": "在有工作程序接手前不會更改任何資料",
}


def _waited(task_name: str) -> None:
    """The task's outbox row was written longer ago than a free worker takes to start it."""
    long_ago = timezone.now() - dt.timedelta(seconds=WAITING_NOTICE_SECONDS + 5)
    assert OutboxMessage.objects.filter(task_name=task_name).update(created_at=long_ago) == 1


def _wait_for(item: RegistryImport, status: str) -> RegistryImport:
    deadline = time.monotonic() + 60  # generous: the machines are shared
    while time.monotonic() < deadline:
        item.refresh_from_db()
        if item.status == status:
            return item
        time.sleep(0.1)
    raise AssertionError(f"import still {item.status}")


def _says(client, item, words: dict[str, str]) -> None:
    """Each language's page and status part say the import waits for a worker; the part announces
    it when the one drawn last did not say it, and only then."""
    url = f"/registry/imports/{item.uuid}/"
    for language, text in WAITING.items():
        part = client.get(f"{url}?part=status&waiting=0", HTTP_ACCEPT_LANGUAGE=language, **STATUS)
        body = part.content.decode()
        assert part.status_code == 200 and text in body and words[language] in body, (language, body)
        assert f'data-announce="{text}' in body, (language, body)
        # Drawn with it already: said again, not announced again.
        again = client.get(f"{url}?part=status&waiting=1", HTTP_ACCEPT_LANGUAGE=language, **STATUS)
        assert text in again.content.decode() and "data-announce" not in again.content.decode()
        # The page opened now says it; its redraws carry that it does (nothing announced then).
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert text in page and "part=status&amp;waiting=1" in page and "data-announce" not in page


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_an_import_no_worker_takes_says_so_and_the_worker_back_checks_and_applies_it_once(ada):
    url = os.environ.get("CELERY_TEST_BROKER_URL", "memory://")
    with broker(url, result_backend="cache+memory://") as app:  # a broker, and no worker on it
        upload = SimpleUploadedFile("sites_bom.csv", (FILES / "sites_bom.csv").read_bytes())
        assert ada.post("/registry/imports/", {"kind": "sites", "file": upload}).status_code == 302
        assert relay.wait_idle()
        item = RegistryImport.objects.get()
        check = OutboxMessage.objects.get(task_name=services.TASK_CHECK)
        assert item.status == "received" and check.status == "sent", check.last_error
        url = f"/registry/imports/{item.uuid}/"

        # A moment after the upload: no worker has had the time to take it yet.
        fresh = ada.get(f"{url}?part=status&waiting=0", **STATUS).content.decode()
        assert WAITING["en"] not in fresh
        _waited(services.TASK_CHECK)
        _says(ada, item, TO_CHECK)

        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            item = _wait_for(item, RegistryImport.Status.READY)
        assert item.counts["create"] == 3 and Site.objects.count() == 0
        done = ada.get(f"{url}?part=status&waiting=1", **STATUS)
        assert done.status_code == 204 and done["HX-Refresh"] == "true"  # the whole page again
        page = ada.get(url).content.decode()
        assert WAITING["en"] not in page and "Apply the import" in page

        # Applied with the worker stopped again: "applying", and then that it waits for a worker.
        assert ada.post(f"{url}apply/").status_code == 302
        assert relay.wait_idle()
        item.refresh_from_db()
        assert item.status == "applying"
        assert WAITING["en"] not in ada.get(url).content.decode()
        _waited(services.TASK_APPLY)
        _says(ada, item, TO_APPLY)

        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            item = _wait_for(item, RegistryImport.Status.APPLIED)

    page = ada.get(url).content.decode()
    assert WAITING["en"] not in page and "Applied" in page
    assert Site.objects.filter(external_id__in=["S-001", "S-002", "S-003"]).count() == 3
    assert AuditEntry.objects.filter(verb="registry_import_apply").count() == 1
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"done"}
    # The task delivered again (the relay's resend of one it had not heard of): nothing twice.
    again = services.import_apply(import_id=item.pk)
    assert again.status == "applied" and again.applied_at == item.applied_at
    assert Site.objects.count() == 3 and AuditEntry.objects.filter(verb="registry_import_apply").count() == 1


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_waiting_for_a_worker_is_a_task_not_taken_for_a_while():
    """Pending (the broker refused it, or down) or sent and not heard of since: not taken. Heard of
    (a worker started it), done or failed: taken. A task asked for just now: not long enough."""
    long_ago = timezone.now() - dt.timedelta(seconds=WAITING_NOTICE_SECONDS + 5)
    just_now = timezone.now()

    def row(status, *, created=long_ago, relayed=None, heard=None, import_id=7):
        message = OutboxMessage.objects.create(
            task_name="registry_import.check", kwargs={"import_id": import_id}
        )
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=status, created_at=created, relayed_at=relayed, heard_at=heard
        )
        return message

    def waiting(import_id=7):
        return task_waiting_for_worker(task_names=["registry_import.check"], import_id=import_id)

    row("pending", created=just_now)
    row("sent", created=just_now, relayed=just_now, heard=just_now)
    assert not waiting()
    started = long_ago + dt.timedelta(seconds=1)
    row("sent", relayed=long_ago, heard=started)  # a worker has it
    row("sent")  # claimed by an in-process run
    row("done", relayed=long_ago, heard=started)
    row("failed", relayed=long_ago, heard=started)
    row("pending", import_id=8)  # another import's
    assert not waiting()
    assert waiting(8)
    row("sent", relayed=long_ago, heard=long_ago)
    assert waiting()
