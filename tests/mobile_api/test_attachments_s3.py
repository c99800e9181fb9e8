"""Attachments on an S3-compatible bucket (``AWS_STORAGE_BUCKET_NAME``), as several machines share
them: stored in the bucket, nothing on the web process's disk, and served to the phone only
through the same access checks as from a local folder. The bucket is moto's S3 server, started
by the test on a port of its own."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from PIL import Image
from rest_framework.test import APIClient

from backend.core.file_storage import S3_BACKEND, storages_from_env
from backend.inspections.models import Attachment
from backend.inspections.personal_files import read_original
from backend.privacy import files as sealed
from tests import factories
from tests.checklists.engine.factories import UUID as PHOTO_REF
from tests.mobile_api.conftest import API, jpeg_with_gps, sha256, stored_files, submission_payload

BUCKET = "inspections-attachments"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (moto's server from this virtualenv)
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, "moto_server stopped"
                assert time.monotonic() < deadline, "moto_server did not listen within 30 s"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(settings, s3_endpoint):
    """STORAGES as the environment of a deployment on a bucket makes it; the bucket, emptied."""
    import boto3

    environ = {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_LOCATION": "uploads",
    }
    settings.STORAGES = storages_from_env(environ, debug=False)
    assert settings.STORAGES["default"]["BACKEND"] == S3_BACKEND
    s3 = boto3.resource(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    store = s3.Bucket(BUCKET)
    if store.creation_date is None:
        store.create()
    store.objects.all().delete()
    return store


def test_an_attachment_lives_in_the_bucket_and_is_served_only_through_the_checks(
    field, alice, bob, phone, api, media, bucket
):
    client = phone(alice)
    photo = jpeg_with_gps()
    payload = submission_payload(
        field.revealed,
        field.venue_version,
        attachments=[{"name": PHOTO_REF, "sha256": sha256(photo), "size": len(photo)}],
    )
    assert client.post(f"{API}/submissions/", payload, format="json").status_code == 201
    url = f"{API}/submissions/{payload['id']}/attachments/{PHOTO_REF}"
    stored = client.put(url, photo, content_type="application/octet-stream")
    assert stored.status_code == 201, stored.content

    # In the bucket, under its prefix: the original and the served copy; nothing on local disk.
    attachment = Attachment.objects.get()
    keys = sorted(o.key for o in bucket.objects.all())
    assert keys == sorted(f"uploads/{n}" for n in (attachment.file.name, attachment.served_file.name))
    assert stored_files(media) == []
    original = bucket.Object(f"uploads/{attachment.file.name}").get()["Body"].read()
    # The answer uses the photo as a signature too: a person's, so the bucket holds it encrypted.
    assert attachment.personal and sealed.is_encrypted(original) and b"PhoneMaker" not in original
    assert read_original(attachment) == photo  # opened from the bucket with the keys: exact

    # Served to its officer from the bucket, without the photo's metadata.
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    body = b"".join(served.streaming_content)
    with Image.open(io.BytesIO(body)) as image:
        assert not image.getexif()
    served_stored = bucket.Object(f"uploads/{attachment.served_file.name}").get()["Body"].read()
    assert body == b"".join(sealed.decrypt_chunks(io.BytesIO(served_stored)))  # the bucket's copy, opened

    # Another agency's officer, and nobody signed in: nothing.
    assert phone(bob).get(url).status_code == 404
    assert APIClient().get(url).status_code == 401

    # The console's reviewers read it from the bucket through their own checks.
    review_url = f"/api/v1/review/submissions/{payload['id']}/attachments/{PHOTO_REF}"
    reviewer = factories.officer("PSP", username="percy", roles=("reviewer",))
    reviewed = api.as_(reviewer).get(review_url)
    assert reviewed.status_code == 200
    assert b"".join(reviewed.streaming_content) == body
    stranger = factories.officer("IAS", username="ivy", roles=("reviewer",))
    assert api.as_(stranger).get(review_url).status_code == 404  # an agency it does not concern
    assert APIClient().get(review_url).status_code == 401


def test_without_a_bucket_uploads_stay_in_the_local_folder():
    storages = storages_from_env({}, debug=False)
    assert storages["default"] == {"BACKEND": "backend.core.verified_storage.VerifiedFileSystemStorage"}
    collected = storages_from_env({"STATIC_COLLECTED": "1"}, debug=False)
    assert collected["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    in_debug = storages_from_env({"STATIC_COLLECTED": "1"}, debug=True)
    assert in_debug["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedStaticFilesStorage"


@pytest.mark.parametrize(
    "environ",
    [
        {"STATIC_COLLECTED": "maybe"},
        {"AWS_STORAGE_BUCKET_NAME": "b", "AWS_S3_ENDPOINT_URL": "minio:9000"},
        {"AWS_STORAGE_BUCKET_NAME": "b", "AWS_S3_ADDRESSING_STYLE": "sideways"},
    ],
)
def test_a_malformed_storage_variable_stops_start_up_naming_it(environ):
    named = next(k for k in environ if k != "AWS_STORAGE_BUCKET_NAME")
    with pytest.raises(ImproperlyConfigured, match=named):
        storages_from_env(environ, debug=False)
