"""After Apply, each row says what was done ("created", "updated"), not what a dry run would do;
and the upload form starts on companies, the first kind to import, as its hint says. Signed in
through the console's sign-in page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.registry_import.models import RegistryImport
from tests.registry_import.support import FILES

pytestmark = pytest.mark.django_db


def _outcomes(client, item, **headers) -> list[str]:
    page = client.get(f"/registry/imports/{item.uuid}/", **headers)
    return [row["action"] for row in page.context["rows"]]


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [("en", "to create", "created"), ("pt", "a criar", "criada"), ("zh-hant", None, "已新增")],
)
def test_applied_rows_say_what_was_done(ada, django_capture_on_commit_callbacks, language, before, after):
    with django_capture_on_commit_callbacks(execute=True):
        ada.post(
            "/registry/imports/",
            {"kind": "sites", "file": SimpleUploadedFile("s.csv", (FILES / "sites_bom.csv").read_bytes())},
        )
    item = RegistryImport.objects.get()
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    dry = set(_outcomes(ada, item, **headers))
    assert len(dry) == 1 and after not in dry and (before is None or before in dry)
    with django_capture_on_commit_callbacks(execute=True):
        ada.post(f"/registry/imports/{item.uuid}/apply/")
    assert set(_outcomes(ada, item, **headers)) == {after}
    page = ada.get(f"/registry/imports/{item.uuid}/", **headers).content.decode()
    assert f">{after}</a>" in page  # the filter of those rows is named so too


def test_the_upload_form_starts_on_companies(ada):
    page = ada.get("/registry/imports/")
    form = page.context["form"]
    assert form["kind"].value() == "companies"
    assert [key for key, _label in form.fields["kind"].choices] == [
        "companies",
        "sites",
        "officers",
        "shifts",
    ]
    assert '<option value="companies" selected>' in page.content.decode()
