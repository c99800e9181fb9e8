"""How a signature was made travels with the submission: a phone declares a signature's file with
``signature_method`` ("drawn" on the pad, or "typed": the signer's name typed with the keyboard),
the server stores it with the submission, gives it back in the read-back (``attachments``) and
marks a typed one on the review page. A phone that does not say (older than the flag) keeps
working: unknown, read back as null, and its replays still match."""

from __future__ import annotations

import uuid

import pytest

from backend.inspections.models import Submission
from tests import factories
from tests.browser_support import sign_in_client
from tests.conftest import PASSWORD
from tests.mobile_api.conftest import API, assert_problem, attachment_url, sha256, submission_payload
from tests.mobile_api.field.test_read_back_photos import signature_png

pytestmark = pytest.mark.django_db

SIGNATURE = signature_png()


def signed(field, method=None, **declared):
    """A venue checklist whose officer's signature is a declared PNG, said to be ``method``."""
    payload = submission_payload(field.revealed, field.venue_version)
    name = str(uuid.uuid4())
    payload["answers"]["officer_signature"] = name
    declaration = {"name": name, "sha256": sha256(SIGNATURE), "size": len(SIGNATURE), **declared}
    if method is not None:
        declaration["signature_method"] = method
    payload["attachments"].append(declaration)
    return payload, name


def read_back(client, submission_id):
    response = client.get(f"{API}/submissions/{submission_id}/")
    assert response.status_code == 200, response.content
    return {a["name"]: a for a in response.json()["attachments"]}


def test_a_typed_signature_is_stored_and_read_back_as_typed(field, alice, phone):
    client = phone(alice)
    payload, name = signed(field, "typed")
    response = client.post(f"{API}/submissions/", payload, format="json")
    assert response.status_code == 201, response.content
    assert Submission.objects.get(uuid=payload["id"]).signature_methods == {name: "typed"}

    files = read_back(client, payload["id"])
    assert files[name] == {"name": name, "received": False, "signature_method": "typed"}
    photo = next(a for n, a in files.items() if n != name)
    assert photo["signature_method"] is None  # a photo is not a signature
    assert (
        client.put(attachment_url(payload["id"], name), SIGNATURE, content_type="image/png").status_code
        == 201
    )
    assert read_back(client, payload["id"])[name]["received"] is True

    # The same again is a replay; said otherwise, another content.
    assert client.post(f"{API}/submissions/", payload, format="json").status_code == 200
    payload["attachments"][-1]["signature_method"] = "drawn"
    assert_problem(client.post(f"{API}/submissions/", payload, format="json"), 409, "submission_conflict")


def test_a_phone_that_does_not_say_keeps_working_and_its_signature_is_unknown(field, alice, phone):
    client = phone(alice)
    payload, name = signed(field)
    assert client.post(f"{API}/submissions/", payload, format="json").status_code == 201
    assert Submission.objects.get(uuid=payload["id"]).signature_methods is None
    assert read_back(client, payload["id"])[name]["signature_method"] is None
    # Its replay matches what it stored (the flag is no part of an old phone's content).
    assert client.post(f"{API}/submissions/", payload, format="json").status_code == 200


def test_a_method_said_of_a_photo_is_dropped_and_a_bad_one_refused(field, alice, phone):
    client = phone(alice)
    payload, name = signed(field, "drawn")
    payload["attachments"][0]["signature_method"] = "typed"  # the site photo's
    assert client.post(f"{API}/submissions/", payload, format="json").status_code == 201
    assert Submission.objects.get(uuid=payload["id"]).signature_methods == {name: "drawn"}

    other, _name = signed(field, "scribbled")
    assert_problem(client.post(f"{API}/submissions/", other, format="json"), 400)


def test_a_correction_and_a_batch_keep_the_method(field, alice, phone):
    client = phone(alice)
    payload, name = signed(field, "drawn")
    assert client.post(f"{API}/submissions/", payload, format="json").status_code == 201
    correction = dict(payload, id=str(uuid.uuid4()), replaces=payload["id"])
    correction["attachments"] = [dict(a) for a in payload["attachments"]]
    correction["attachments"][-1]["signature_method"] = "typed"
    response = client.post(f"{API}/submissions/batch/", {"items": [correction]}, format="json")
    assert response.json()["results"][0]["status"] == 201, response.content
    assert Submission.objects.get(uuid=correction["id"]).signature_methods == {name: "typed"}


def test_the_reviewer_sees_which_signature_was_typed(field, alice, phone, client):
    officer = phone(alice)
    typed, _name = signed(field, "typed")
    assert officer.post(f"{API}/submissions/", typed, format="json").status_code == 201
    assert (
        officer.put(attachment_url(typed["id"], _name), SIGNATURE, content_type="image/png").status_code
        == 201
    )
    reviewer = factories.officer("PSP", username="percy", roles=("reviewer",))
    sign_in_client(client, reviewer.user.username, PASSWORD)
    page = client.get(f"/review/{typed['id']}/")
    assert page.status_code == 200
    assert page.content.decode().count("Typed with the keyboard, not drawn") == 1

    # A drawn one (and one whose phone did not say) carries no such mark.
    submission = Submission.objects.get(uuid=typed["id"])
    Submission.objects.filter(pk=submission.pk).update(signature_methods={_name: "drawn"})
    assert "Typed with the keyboard" not in client.get(f"/review/{typed['id']}/").content.decode()

    # In Chinese and Portuguese too.
    for language, text in (("zh-hant", "以鍵盤輸入，非手寫"), ("pt", "Escrita com o teclado, não desenhada")):
        Submission.objects.filter(pk=submission.pk).update(signature_methods={_name: "typed"})
        page = client.get(f"/review/{typed['id']}/", HTTP_ACCEPT_LANGUAGE=language)
        assert text in page.content.decode(), language
