"""A media disk that fills up, or a media folder that turns read-only, during an upload: the
phone gets a clear answer to retry later (507 or 503 with Retry-After), nothing is left behind
(no half file, no temporary), and the next upload is stored under the name the first would have
had. Before, a full disk left 2 MB of a 3 MB photo under the attachment's name and answered 500;
the retry landed under a suffixed name beside the orphan.

The disk is real: a 1 MB tmpfs mounted on the test's media folder (the tests run as root in CI;
elsewhere they are skipped saying so), filled, then remounted read-only.
"""

from __future__ import annotations

import io
import os
import random
import subprocess

import pytest
from PIL import Image

from backend.inspections.models import Attachment
from backend.inspections.personal_files import read_original
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.mobile_api.conftest import (
    API,
    assert_problem,
    attachment_url,
    sha256,
    stored_files,
    submission_payload,
)


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)  # noqa: S603,S607


@pytest.fixture
def small_disk(settings, tmp_path):
    """A 1 MB file system of the test's own as MEDIA_ROOT."""
    root = tmp_path / "small-disk"
    root.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a 1 MB tmpfs needs root (CI runs as root)")
    done = _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(root))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    settings.MEDIA_ROOT = str(root)
    try:
        yield root
    finally:
        subprocess.run(["umount", str(root)], check=False)  # noqa: S603,S607


def noisy_jpeg(seed: int = 7) -> bytes:
    """About 100 KB: noise does not compress."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (300, 300), rng.randbytes(300 * 300 * 3))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


def _fill(root, leave: int) -> None:
    stat = os.statvfs(root)
    free = stat.f_bavail * stat.f_frsize
    with open(root / "filler", "wb") as filler:
        filler.write(b"\0" * max(free - leave, 0))


def _submit(client, field, photo: bytes) -> dict:
    payload = submission_payload(
        field.revealed,
        field.venue_version,
        attachments=[{"name": PHOTO_REF, "sha256": sha256(photo), "size": len(photo)}],
    )
    response = client.post(f"{API}/submissions/", payload, format="json")
    assert response.status_code == 201, response.content
    return payload


def _files(root) -> list[str]:
    return [str(p.relative_to(root)) for p in stored_files(root) if p.name != "filler"]


def _expected_names(payload) -> list[str]:
    attachment = Attachment.objects.get(submission__uuid=payload["id"], name=PHOTO_REF)
    base = f"attachments/{payload['id']}/{attachment.uuid}"
    return sorted([base, f"{base}-served"])


def test_a_full_disk_answers_507_leaves_nothing_and_the_retry_takes_the_expected_name(
    field, alice, phone, small_disk
):
    client = phone(alice)
    photo = noisy_jpeg()
    assert len(photo) > 80_000
    payload = _submit(client, field, photo)
    _fill(small_disk, leave=len(photo) // 2)  # room for half the photo

    full = client.put(attachment_url(payload["id"], PHOTO_REF), photo, content_type="image/jpeg")
    assert_problem(full, 507, "storage_full")
    assert full.headers["Retry-After"] == "60"
    assert _files(small_disk) == []  # no half file, no temporary
    assert Attachment.objects.get(submission__uuid=payload["id"]).received_at is None

    (small_disk / "filler").unlink()  # the administrator made room
    retry = client.put(attachment_url(payload["id"], PHOTO_REF), photo, content_type="image/jpeg")
    assert retry.status_code == 201, retry.content
    assert _files(small_disk) == _expected_names(payload)
    stored = Attachment.objects.get(submission__uuid=payload["id"])
    assert stored.file.name == _expected_names(payload)[0]
    assert read_original(stored) == photo


def test_a_read_only_media_folder_answers_503_and_the_next_upload_succeeds(field, alice, phone, small_disk):
    client = phone(alice)
    photo = noisy_jpeg(seed=11)
    payload = _submit(client, field, photo)
    assert _mount("-o", "remount,ro", str(small_disk)).returncode == 0

    refused = client.put(attachment_url(payload["id"], PHOTO_REF), photo, content_type="image/jpeg")
    assert_problem(refused, 503, "storage_unavailable")
    assert refused.headers["Retry-After"] == "60"
    assert Attachment.objects.get(submission__uuid=payload["id"]).received_at is None

    assert _mount("-o", "remount,rw", str(small_disk)).returncode == 0
    retry = client.put(attachment_url(payload["id"], PHOTO_REF), photo, content_type="image/jpeg")
    assert retry.status_code == 201, retry.content
    assert _files(small_disk) == _expected_names(payload)


def test_an_orphan_left_under_the_name_by_an_older_failure_is_replaced(field, alice, phone, media):
    """A partial file written before this fix sits under the attachment's name: the upload
    replaces it rather than storing beside it under a suffixed name."""
    client = phone(alice)
    photo = noisy_jpeg(seed=3)
    payload = _submit(client, field, photo)
    original, _served = _expected_names(payload)
    (media / original).parent.mkdir(parents=True)
    (media / original).write_bytes(photo[: len(photo) // 3])
    done = client.put(attachment_url(payload["id"], PHOTO_REF), photo, content_type="image/jpeg")
    assert done.status_code == 201, done.content
    assert [str(p.relative_to(media)) for p in stored_files(media)] == _expected_names(payload)
    assert read_original(Attachment.objects.get(submission__uuid=payload["id"])) == photo
