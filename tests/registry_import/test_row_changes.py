"""A dry run says what each update changes: each column whose value differs from the record, by
its name in the reader's language, as the value on record → the file's value (a choice by its
name, as the console shows it). A helper's walk: the dry run said "761 to update" and no more, so
an administrator could not tell a new address from a column emptied by mistake; then it named
the columns ("Changes: Address") but still not what they held and would hold."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.registry.models import Skill, Unit
from backend.registry_import.models import ImportRow, RegistryImport
from tests import factories
from tests.browser_support import sign_in_client
from tests.registry_import.support import FILES

pytestmark = pytest.mark.django_db

CHANGES = {
    "en": [
        "Changes:",
        "Venue type: karaoke → massage parlour",
        "Address: Rua de Pequim 126 → Rua de Pequim 130",
        "Opening hours: Mon-Thu 20:00-02:00; Fri-Sun 20:00-04:00 → Mon-Sun 20:00-04:00",
        "Licence number: L-1 → (empty)",
    ],
    "pt": [
        "Alterações:",
        "Tipo de estabelecimento: karaoke → casa de massagens",
        "Endereço: Rua de Pequim 126 → Rua de Pequim 130",
        "Horário de funcionamento: Mon-Thu 20:00-02:00; Fri-Sun 20:00-04:00 → Mon-Sun 20:00-04:00",
        "Número da licença: L-1 → (vazio)",
    ],
    "zh-hant": [
        "變更：",
        "場所類型：卡拉OK → 按摩院",
        "地址：Rua de Pequim 126 → Rua de Pequim 130",
        "營業時間：Mon-Thu 20:00-02:00; Fri-Sun 20:00-04:00 → Mon-Sun 20:00-04:00",
        "牌照編號：L-1 → （空白）",
    ],
}


def _upload(client, capture, data: bytes, kind: str = "sites") -> RegistryImport:
    with capture(execute=True):
        client.post("/registry/imports/", {"kind": kind, "file": SimpleUploadedFile(f"{kind}.csv", data)})
    return RegistryImport.objects.latest("pk")


def _changes(client, item: RegistryImport) -> list[str]:
    """The changes the rows' table shows: the heading, then one line per changed column."""
    page = unescape(client.get(f"/registry/imports/{item.uuid}/?show=update").content.decode())
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    heading = re.findall(r'<p class="changes">(.*?)</p>', body)
    lines = [
        li
        for ul in re.findall(r'<ul class="changes">(.*?)</ul>', body)
        for li in re.findall(r"<li>(.*?)</li>", ul)
    ]
    return [re.sub(r"<[^>]+>", "", p).strip() for p in (*heading, *lines)]


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_an_update_shows_each_change_as_old_and_new_value(ada, django_capture_on_commit_callbacks, language):
    original = (FILES / "sites_bom.csv").read_bytes()
    first = _upload(ada, django_capture_on_commit_callbacks, original)
    with django_capture_on_commit_callbacks(execute=True):
        ada.post(f"/registry/imports/{first.uuid}/apply/")
    changed = (
        original.replace(b"Rua de Pequim 126", b"Rua de Pequim 130")
        .replace(b"Mon-Thu 20:00-02:00; Fri-Sun 20:00-04:00", b"Mon-Sun 20:00-04:00")
        .replace(b"venue,karaoke", b"venue,massage")
        .replace(b",L-1\r\n", b",\r\n")
        .replace(b",L-1\n", b",\n")
    )
    item = _upload(ada, django_capture_on_commit_callbacks, changed)
    row = item.rows.get(action=ImportRow.Action.UPDATE)
    assert row.changed == ["venue_type", "address", "opening_hours", "licence_number"]
    assert not item.rows.exclude(pk=row.pk).exclude(changed=[]).exists()  # the unchanged list none
    ada.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert _changes(ada, item) == CHANGES[language]


def test_an_officers_update_names_the_unit_the_languages_and_the_sex_in_the_readers_language(
    client, django_capture_on_commit_callbacks
):
    ada = factories.officer("PSP", username="ada", roles=("administrator",))
    sign_in_client(client, "ada", "correct-horse-battery")
    unit = ada.unit
    Unit.objects.filter(pk=unit.pk).update(name_pt="Comando do CPSP")
    other = factories.unit(ada.agency, code="psp-harbour")
    Unit.objects.filter(pk=other.pk).update(name_en="Harbour station", name_pt="Esquadra do Porto")
    for code, en, pt in (("lang-pt", "Portuguese", "Português"), ("lang-en", "English", "Inglês")):
        Skill.objects.update_or_create(code=code, defaults={"kind": "language", "name_en": en, "name_pt": pt})
    head = "external_id,agency,unit,badge_number,full_name,sex,languages\n"
    first = _upload(
        client,
        django_capture_on_commit_callbacks,
        f"{head}P-1,PSP,{unit.code},7001,Ana Rosário,F,lang-pt\n".encode(),
        "officers",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registry/imports/{first.uuid}/apply/")
    item = _upload(
        client,
        django_capture_on_commit_callbacks,
        f"{head}P-1,PSP,{other.code},7001,Ana Rosário,M,lang-pt; lang-en\n".encode(),
        "officers",
    )
    client.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    assert _changes(client, item) == [
        "Alterações:",
        "Unidade: Comando do CPSP → Esquadra do Porto",
        "Sexo: feminino → masculino",
        "Línguas: Português → Inglês, Português",
    ]


def test_a_moved_site_placed_on_the_map_shows_its_old_and_new_place(
    ada, django_capture_on_commit_callbacks, settings
):
    """A site whose address changes, without coordinates and with no geocoder, is placed by hand:
    the change shows the place on record beside the one chosen."""
    settings.GEOCODER = ""
    original = (FILES / "sites_bom.csv").read_bytes()
    first = _upload(ada, django_capture_on_commit_callbacks, original)
    with django_capture_on_commit_callbacks(execute=True):
        ada.post(f"/registry/imports/{first.uuid}/apply/")
    moved = original.replace(
        b"Rua de Pequim 126,\xe5\xa4\xa7\xe5\xa0\x82\xe5\x8d\x80,22.1921,113.5473", b"Rua de Pequim 200,se,,"
    )
    assert moved != original
    item = _upload(ada, django_capture_on_commit_callbacks, moved)
    assert item.status == RegistryImport.Status.TO_PLACE
    ada.post(
        f"/registry/imports/{item.uuid}/place/",
        {"number": "2", "row2-latitude": "22,1930", "row2-longitude": "113.5480"},
    )
    assert _changes(ada, item) == [
        "Changes:",
        "Address: Rua de Pequim 126 → Rua de Pequim 200",
        "Latitude: 22.192100 → 22.193000",
        "Longitude: 113.547300 → 113.548000",
    ]


def test_the_management_commands_dry_run_prints_each_change(db, tmp_path, capsys):
    """The shell's dry run (``import_registry``) says what each update changes, as the page does."""
    from django.core.management import call_command

    factories.officer("PSP", username="admin-psp", roles=("administrator",))
    original = (FILES / "sites_bom.csv").read_bytes()
    call_command("import_registry", "sites", str(FILES / "sites_bom.csv"), "--user", "admin-psp", "--apply")
    changed = tmp_path / "sites.csv"
    changed.write_bytes(original.replace(b"venue,karaoke", b"venue,massage"))
    capsys.readouterr()
    call_command("import_registry", "sites", str(changed), "--user", "admin-psp")
    assert "Row 2 (S-001) to update: Venue type: karaoke → massage parlour\n" in capsys.readouterr().out
