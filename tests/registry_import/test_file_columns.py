"""What a newcomer's file gets wrong at its top: a column name the import does not know (a typo, or
a column of their own), a header with no rows under it; and a refusal read in Chinese names the
parish and puts its colons in Chinese. Signed in through the console's sign-in page."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.registry.models import OpeningHours, Site
from backend.registry_import.models import RegistryImport
from tests.registry_import.support import FILES

pytestmark = pytest.mark.django_db


def _upload(client, callbacks, name: str, data: bytes, **headers) -> tuple[RegistryImport, str]:
    with callbacks(execute=True):
        response = client.post(
            "/registry/imports/", {"kind": "sites", "file": SimpleUploadedFile(name, data)}, **headers
        )
    assert response.status_code == 302
    item = RegistryImport.objects.latest("created_at")
    return item, client.get(response["Location"], **headers).content.decode()


def _apply(client, callbacks, item):
    with callbacks(execute=True):
        client.post(f"/registry/imports/{item.uuid}/apply/")


def test_a_misspelt_column_refuses_the_file_instead_of_emptying_that_field(
    ada, django_capture_on_commit_callbacks
):
    # The sites are in the registry with their opening hours...
    item, _page = _upload(
        ada, django_capture_on_commit_callbacks, "sites.csv", (FILES / "sites_bom.csv").read_bytes()
    )
    _apply(ada, django_capture_on_commit_callbacks, item)
    hours_before = OpeningHours.objects.count()
    assert hours_before > 0
    # ...and next month's list comes back with one header misspelt. Read as absent, the column
    # would have emptied every site's opening hours, the dry run saying only "to update".
    export = ada.get("/registry/imports/export/sites.csv").content.decode("utf-8-sig")
    header, rest = export.split("\r\n", 1)
    typo = (header.replace("opening_hours", "opening_hour") + "\r\n" + rest).encode()
    item, page = _upload(ada, django_capture_on_commit_callbacks, "next-month.csv", typo)
    assert item.status == RegistryImport.Status.REFUSED
    assert item.file_problems[0]["code"] == "unknown_columns"
    assert "Columns not known for this kind of file: opening_hour." in page
    assert "Apply the import" not in page
    assert OpeningHours.objects.count() == hours_before
    # A column the registry does not hold at all (the agency's own notes) is named the same way.
    notes = (header + ",Remarks\r\n" + rest.replace("\r\n", ",\r\n")).encode()
    item, page = _upload(ada, django_capture_on_commit_callbacks, "with-notes.csv", notes)
    assert item.status == RegistryImport.Status.REFUSED and "Remarks" in page


def test_the_columns_labels_in_any_language_and_blank_header_cells_are_known(
    ada, django_capture_on_commit_callbacks
):
    data = (
        "外部編號,Nome (português),類別,Venue type,Endereço,堂區,,\r\n"
        "X-1,Bar Lua,venue,bar,Rua da Lua 1,se,,\r\n"
    )
    item, _page = _upload(ada, django_capture_on_commit_callbacks, "labels.csv", data.encode())
    assert item.file_problems == [] and item.counts["create"] == 1


def test_a_header_without_rows_is_refused_not_offered_to_apply(ada, django_capture_on_commit_callbacks):
    header = (FILES / "sites_bom.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    item, page = _upload(ada, django_capture_on_commit_callbacks, "header.csv", (header + "\r\n").encode())
    assert item.status == RegistryImport.Status.REFUSED
    assert item.file_problems[0]["code"] == "no_rows"
    assert "The file has a header row but no rows under it." in page
    assert "Apply the import" not in page


def test_a_refusal_read_in_chinese_names_the_parish_in_chinese_with_full_width_colons(
    ada, django_capture_on_commit_callbacks
):
    # The dry run runs in the worker, in no reader's language: the parish must be put into words
    # when the page is read, not when the row is checked.
    item, page = _upload(
        ada,
        django_capture_on_commit_callbacks,
        "wrong-parish.csv",
        (FILES / "sites_wrong_parish.csv").read_bytes(),
        HTTP_ACCEPT_LANGUAGE="zh-hant",
    )
    assert item.status == RegistryImport.Status.REFUSED
    assert "該點位於所填堂區（聖方濟各堂區（路環））以外。" in page, page
    assert "St Francis Xavier" not in page
    assert "<strong>緯度</strong>：" in page and "場所：wrong-parish.csv" in page
    english = ada.get(f"/registry/imports/{item.uuid}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "<strong>Latitude</strong>: The point lies outside the parish named (St Francis Xavier (Coloane))."
        in english
    )
    assert Site.objects.count() == 0


def test_a_column_left_out_keeps_what_is_on_record_and_an_empty_cell_clears_it(
    ada, django_capture_on_commit_callbacks
):
    item, _page = _upload(
        ada, django_capture_on_commit_callbacks, "sites.csv", (FILES / "sites_bom.csv").read_bytes()
    )
    _apply(ada, django_capture_on_commit_callbacks, item)
    site = Site.objects.get(external_id="S-001")
    hours = OpeningHours.objects.filter(site=site).count()
    assert hours and site.name_zh_hant and site.licence_number
    # A list cut down to the columns it has: the Chinese name, the hours and the licence stay.
    short = (
        "external_id,name_en,kind,venue_type,address,parish\r\n"
        "S-001,Golden Lotus Karaoke,venue,karaoke,Rua de Pequim 126,se\r\n"
    )
    item, _page = _upload(ada, django_capture_on_commit_callbacks, "short.csv", short.encode())
    assert item.counts["unchanged"] == 1 and item.counts["update"] == 0, item.counts
    _apply(ada, django_capture_on_commit_callbacks, item)
    kept = Site.objects.get(pk=site.pk)
    assert (kept.name_zh_hant, kept.licence_number) == (site.name_zh_hant, site.licence_number)
    assert OpeningHours.objects.filter(site=site).count() == hours
    # The column given with an empty cell clears that field, as before.
    empty = short.replace("parish\r\n", "parish,opening_hours\r\n").replace(",se\r\n", ",se,\r\n")
    item, _page = _upload(ada, django_capture_on_commit_callbacks, "cleared.csv", empty.encode())
    assert item.counts["update"] == 1
    _apply(ada, django_capture_on_commit_callbacks, item)
    assert OpeningHours.objects.filter(site=site).count() == 0


@pytest.mark.parametrize("language", ["pt", "zh-hant"])
def test_an_officers_columns_are_named_as_the_admins_officers_list_names_them(language):
    """Found on a walk in Portuguese and Chinese: the template called the badge 'Número de
    identificação' and '編號', the name '全名', where the admin's officers list, in which the
    administrator checks what came in, says 'Número de funcionário', '職員編號' and '姓名'."""
    from django.utils import translation

    from backend.registry.models import Officer
    from backend.registry_import.columns import KINDS

    columns = {c.key: c for c in KINDS["officers"].columns}
    with translation.override(language):
        for key in ("badge_number", "full_name", "unit", "rank_title"):
            field = str(Officer._meta.get_field(key).verbose_name)
            assert str(columns[key].label).casefold() == field.casefold(), key


def test_an_officers_file_with_the_former_column_names_still_reads(ada, django_capture_on_commit_callbacks):
    from backend.registry.models import Officer

    unit = Officer.objects.get(user__username="ada").unit.code
    for header in ("Número de identificação,全名", "Número de funcionário,姓名", "職員編號,Nome completo"):
        data = f"external_id,agency,unit,{header}\r\nP-1,PSP,{unit},7001,Ana Rosário\r\n".encode()
        with django_capture_on_commit_callbacks(execute=True):
            ada.post("/registry/imports/", {"kind": "officers", "file": SimpleUploadedFile("o.csv", data)})
        item = RegistryImport.objects.latest("created_at")
        assert item.file_problems == [] and item.counts["create"] == 1, (header, item.file_problems)


def test_a_value_not_among_the_choices_is_refused_with_the_choices_named_in_the_readers_language(
    ada, django_capture_on_commit_callbacks
):
    """Found on a walk in Chinese: a roster's kind written '更份' was refused as not one of 'shift,
    leave, training, sick', codes alone, though the import takes the names too ('當值')."""
    data = "外部編號,部門,人員,類別,開始,結束\r\nR-1,PSP,P-1,更份,2026-12-07 20:00,2026-12-08 04:00\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = ada.post(
            "/registry/imports/",
            {"kind": "shifts", "file": SimpleUploadedFile("roster.csv", data.encode())},
            HTTP_ACCEPT_LANGUAGE="zh-hant",
        )
    page = ada.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "「更份」不是以下之一：當值（shift）、休假（leave）、培訓（training）、病假（sick）。" in page, (
        page
    )
    english = ada.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "“更份” is not one of: shift, leave, training, sick leave (sick)." in english


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "pt",
            "As colunas deste ficheiro são as de um ficheiro de Agentes, não de Empresas. Escolha «Agentes»",
        ),
        ("zh-hant", "此檔案的欄位屬於人員檔案，而非公司檔案。請在「檔案內容」選擇「人員」後再上載。"),
    ],
)
def test_a_file_of_another_kind_says_which_kind_to_choose(
    ada, django_capture_on_commit_callbacks, language, words
):
    """Found on a walk in Portuguese: an officers' list uploaded with 'Empresas' left chosen was
    refused as having no header row at all, though its header was right there."""
    data = "external_id,agency,unit,badge_number,full_name\r\nP-1,PSP,psp-hq,7001,Ana Rosário\r\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = ada.post(
            "/registry/imports/",
            {"kind": "companies", "file": SimpleUploadedFile("efectivo.csv", data)},
            HTTP_ACCEPT_LANGUAGE=language,
        )
    page = ada.get(response["Location"], HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert words in page.replace("&#x27;", "'"), page
    # A shifts' roster uploaded as officers (its external_id and agency are an officers' header
    # too) is named the same way, not refused column by column.
    roster = (
        "external_id,agency,officer,kind,start,end\r\nR-1,PSP,P-1,shift,2026-12-07 20:00,2026-12-08 04:00\r\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        ada.post(
            "/registry/imports/", {"kind": "officers", "file": SimpleUploadedFile("r.csv", roster.encode())}
        )
    assert RegistryImport.objects.latest("created_at").file_problems[0]["code"] == "other_kind"


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "This file's first row reads: ID, Nome, Endereço, Lat."),
        ("pt", "A primeira linha deste ficheiro diz: ID, Nome, Endereço, Lat."),
        ("zh-hant", "此檔案的第一列為：ID, Nome, Endereço, Lat。"),
    ],
)
def test_a_header_of_unknown_names_is_shown_back_not_said_missing(
    ada, django_capture_on_commit_callbacks, language, said
):
    """A file with a header row of its own names (an agency's own spreadsheet) was told "No header
    row was found", as if it had none (found on a newcomer's walk). It is told what its first row
    reads, and that external_id must be among the columns."""
    data = "ID,Nome,Endereço,Lat\r\nX1,Bar,Rua 1,22.19\r\n".encode()
    item, page = _upload(
        ada, django_capture_on_commit_callbacks, "ours.csv", data, HTTP_ACCEPT_LANGUAGE=language
    )
    assert item.status == RegistryImport.Status.REFUSED
    assert said in unescape(page), page
    assert "No header row was found" not in page


@pytest.mark.parametrize(
    ("language", "name"), [("zh-hant", "金蓮卡拉OK"), ("pt", "Karaoke Lótus Dourado"), ("en", "Golden Lotus")]
)
def test_a_rows_name_is_the_one_the_file_gives_in_the_readers_language(
    ada, django_capture_on_commit_callbacks, language, name, settings
):
    """The dry run named each row by its English name, in Chinese and Portuguese too, where the
    file gave the row's name in the reader's language (found on a newcomer's walk); the map page of
    rows to place did the same. A name the file leaves empty in that language is said in English."""
    settings.GEOCODER = ""
    item, page = _upload(
        ada,
        django_capture_on_commit_callbacks,
        "sites.csv",
        (FILES / "sites_bom.csv").read_bytes(),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    rows = unescape(page.split("<tbody", 1)[1])
    assert name in rows, rows
    if language != "en":
        assert "Golden Lotus Karaoke" not in rows
    # On the map page: a name given in English only is said in English.
    data = "external_id,name_en,name_zh_hant,kind,venue_type,address,parish\r\n"
    data += "G-1,Taipa Village Karaoke,氹仔舊城卡拉OK,venue,karaoke,Rua do Cunha 21,carmo_taipa\r\n"
    data += "G-2,Red Market Bar,,venue,bar,Avenida do Almirante Lacerda 140,fatima\r\n"
    item, _page = _upload(
        ada, django_capture_on_commit_callbacks, "a.csv", data.encode(), HTTP_ACCEPT_LANGUAGE=language
    )
    place = unescape(
        ada.get(f"/registry/imports/{item.uuid}/place/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    )
    assert ("氹仔舊城卡拉OK" if language == "zh-hant" else "Taipa Village Karaoke") in place
    assert "Red Market Bar" in place
