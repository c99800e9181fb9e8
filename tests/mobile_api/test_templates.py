"""Downloading a checklist version: cached by its ETag, drafts hidden from officers."""

from __future__ import annotations

import copy
import uuid

import pytest

from backend.checklists.services import template_version_create, template_version_retire
from tests.mobile_api.conftest import API, assert_problem


def url(version) -> str:
    return f"{API}/templates/{version.uuid}/"


def test_a_version_downloads_with_its_definition_and_etag(field, alice, phone):
    response = phone(alice).get(url(field.venue_version))
    assert response.status_code == 200
    assert response["ETag"] == f'"{field.venue_version.digest}"'
    assert "must-revalidate" in response["Cache-Control"]
    body = response.json()
    assert body["id"] == str(field.venue_version.uuid)
    assert body["template"] == "venue_prostitution_trafficking"
    assert body["number"] == 1 and body["status"] == "published"
    assert body["definition"] == field.venue_version.definition


def test_the_same_etag_again_is_not_modified(field, alice, phone):
    client = phone(alice)
    etag = client.get(url(field.venue_version))["ETag"]
    response = client.get(url(field.venue_version), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_one_of_several_etags_matching_is_not_modified(field, alice, phone):
    etag = f'"{field.venue_version.digest}"'
    response = phone(alice).get(url(field.venue_version), HTTP_IF_NONE_MATCH=f'"0000", {etag}')
    assert response.status_code == 304


@pytest.mark.parametrize("header", ['W/"{digest}"', "*"], ids=["weakened", "any"])
def test_a_weakened_or_wildcard_etag_is_not_modified(field, alice, phone, header):
    """A proxy that compresses the body may weaken the tag; the comparison is the weak one."""
    response = phone(alice).get(
        url(field.venue_version), HTTP_IF_NONE_MATCH=header.format(digest=field.venue_version.digest)
    )
    assert response.status_code == 304


def test_another_etag_downloads_again(field, alice, phone):
    other = f'"{field.screening_version.digest}"'
    response = phone(alice).get(url(field.venue_version), HTTP_IF_NONE_MATCH=other)
    assert response.status_code == 200
    assert response.json()["definition"] == field.venue_version.definition


def test_templates_are_shared_reference_data(field, bob, phone):
    """Any officer may download any published version: templates carry no operation's secrets."""
    assert phone(bob).get(url(field.venue_version)).status_code == 200


def test_a_retired_version_still_downloads(field, alice, phone):
    template_version_retire(actor=None, version=field.venue_version)
    assert phone(alice).get(url(field.venue_version)).status_code == 200


def test_a_draft_version_is_not_found_for_officers(field, alice, phone):
    definition = copy.deepcopy(field.venue_version.definition)
    definition["sections"][0]["questions"][-1]["max"] = 400
    draft = template_version_create(actor=None, definition=definition)
    assert draft.status == "draft"
    assert_problem(phone(alice).get(url(draft)), 404, "not_found")


@pytest.mark.parametrize("version_id", [str(uuid.UUID(int=1)), "not-a-uuid"])
def test_an_unknown_version_is_not_found(field, alice, phone, version_id):
    assert_problem(phone(alice).get(f"{API}/templates/{version_id}/"), 404, "not_found")
