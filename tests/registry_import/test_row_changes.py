"""A dry run says what each update changes: the columns whose values differ from the record, by
their names in the reader's language. A helper's walk: the dry run said "761 to update" and no
more, so an administrator could not tell a new address from a column emptied by mistake."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.registry_import.models import ImportRow, RegistryImport
from tests.registry_import.support import FILES

pytestmark = pytest.mark.django_db

CHANGES = {
    "en": "Changes: Address, Opening hours",
    "pt": "Alterações: Endereço, Horário de funcionamento",
    "zh-hant": "變更：地址、營業時間",
}


def _upload(client, capture, data: bytes) -> RegistryImport:
    with capture(execute=True):
        client.post("/registry/imports/", {"kind": "sites", "file": SimpleUploadedFile("s.csv", data)})
    return RegistryImport.objects.latest("pk")


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_an_update_names_the_columns_it_changes(ada, django_capture_on_commit_callbacks, language):
    original = (FILES / "sites_bom.csv").read_bytes()
    first = _upload(ada, django_capture_on_commit_callbacks, original)
    with django_capture_on_commit_callbacks(execute=True):
        ada.post(f"/registry/imports/{first.uuid}/apply/")
    changed = original.replace(b"Rua de Pequim 126", b"Rua de Pequim 130").replace(
        b"Mon-Thu 20:00-02:00; Fri-Sun 20:00-04:00", b"Mon-Sun 20:00-04:00"
    )
    item = _upload(ada, django_capture_on_commit_callbacks, changed)
    row = item.rows.get(action=ImportRow.Action.UPDATE)
    assert row.changed == ["address", "opening_hours"]
    assert not item.rows.exclude(pk=row.pk).exclude(changed=[]).exists()  # the unchanged list none
    ada.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = unescape(ada.get(f"/registry/imports/{item.uuid}/?show=update").content.decode())
    changes = [re.sub(r"<[^>]+>", "", p) for p in re.findall(r'<p class="changes">(.*?)</p>', page)]
    assert changes == [CHANGES[language]], changes
