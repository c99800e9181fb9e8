"""The import page's summary counts say what happened to the rows ("3 created"), not the
"created" of a record's creation time that the project's catalogue gives the same English word
(and that Django takes first): the summary's words have a context of their own."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from backend.inspections.models import Submission
from backend.registry_import.columns import reason_text
from backend.registry_import.models import RegistryImport
from tests import factories
from tests.browser_support import sign_in_client
from tests.registry_import.support import FILES

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"

SUMMARY = {
    "zh-hant": {"title": "匯入", "created": "已新增", "updated": "已更新", "not": ["建立時間", "更新時間"]},
    "pt": {
        "title": "Importação",
        "created": "criadas",
        "updated": "actualizadas",
        "not": ["criado em", "actualizado em"],
    },
}


@pytest.fixture(autouse=True)
def _language_back_to_the_default():
    # The pages activate the reader's language on this thread and leave it active.
    yield
    translation.deactivate()


@pytest.mark.parametrize("language", sorted(SUMMARY))
def test_the_applied_summary_counts_rows_in_the_readers_language(
    client, language, django_capture_on_commit_callbacks
):
    factories.officer("PSP", username="ada", roles=("administrator",))
    sign_in_client(client, "ada", PASSWORD)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    data = (FILES / "sites_bom.csv").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/registry/imports/", {"kind": "sites", "file": SimpleUploadedFile("sites_bom.csv", data)}
        )
    item = RegistryImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registry/imports/{item.uuid}/apply/")
    text = client.get(f"/registry/imports/{item.uuid}/").content.decode()
    words = SUMMARY[language]
    assert f'<span class="label">{words["created"]}</span>' in text
    assert f'<span class="label">{words["updated"]}</span>' in text
    assert f"<title>{words['title']} sites_bom.csv" in text.replace("\n", "")
    for other in words["not"]:
        assert f'<span class="label">{other}</span>' not in text


@pytest.mark.parametrize(
    ("language", "state", "column"), [("zh-hant", "已接收", "接收時間"), ("pt", "recebida", "recebido em")]
)
def test_a_received_import_and_a_received_at_column_are_different_words(language, state, column):
    with translation.override(language):
        assert str(RegistryImport.Status.RECEIVED.label) == state
        assert str(Submission._meta.get_field("received_at").verbose_name) == column


UPLOAD_LABELS = {
    "zh-hant": ["檔案內容", "檔案（CSV 或 XLSX）"],
    "pt": ["O que o ficheiro contém", "Ficheiro (CSV ou XLSX)"],
}


@pytest.mark.parametrize("language", sorted(UPLOAD_LABELS))
def test_the_upload_form_is_labelled_in_the_readers_language(client, language):
    """Found on an administrator's walk in Chinese: the upload form's two labels, 'What the file
    holds' and 'File (CSV or XLSX)', were the only English words on the page."""
    factories.officer("PSP", username="ada", roles=("administrator",))
    sign_in_client(client, "ada", PASSWORD)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    text = client.get("/registry/imports/").content.decode()
    for label in UPLOAD_LABELS[language]:
        assert f">{label}</label>" in text
    assert "What the file holds" not in text and "File (CSV or XLSX)" not in text


def test_portuguese_counts_rows_in_the_singular_and_the_plural(client, django_capture_on_commit_callbacks):
    """Found on a walk in Portuguese: the rows' table read '1 linha(s)', and the map's hint
    '1 linha(s) com endereços…', where Portuguese has a word for one and a word for many."""
    factories.officer("PSP", username="ada", roles=("administrator",))
    sign_in_client(client, "ada", PASSWORD)
    client.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    data = b"external_id,name_en,kind\nC-1,Lotus Ltd,operator\nC-1,Lotus Ltd,operator\nC-2,,operator\n"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/registry/imports/", {"kind": "companies", "file": SimpleUploadedFile("c.csv", data)})
    item = RegistryImport.objects.get()
    text = client.get(f"/registry/imports/{item.uuid}/?show=all").content.decode()
    assert "<caption>3 linhas</caption>" in text
    text = client.get(f"/registry/imports/{item.uuid}/?show=create").content.decode()
    assert "<caption>1 linha</caption>" in text
    assert "(s)" not in text
    with translation.override("pt"):
        hint = translation.ngettext(
            "%(n)s row has an address the geocoder could not place.",
            "%(n)s rows have addresses the geocoder could not place.",
            1,
        )
    assert hint == "%(n)s linha tem um endereço que o geocodificador não conseguiu colocar."


def test_the_counts_agree_with_their_number_and_an_officers_file_has_no_place_to_speak_of(
    client, django_capture_on_commit_callbacks
):
    """Found on a walk in Portuguese with an officers' file: the applied summary read '1 criados'
    and '0 recusada', and the dry run offered to apply as 'nothing is refused and every row has
    its place', of officers, who have no place on a map."""
    ada = factories.officer("PSP", username="ada", roles=("administrator",))
    sign_in_client(client, "ada", PASSWORD)
    client.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    data = f"external_id,agency,unit,badge_number,full_name\nP-1,PSP,{ada.unit.code},7001,Ana Rosário\n"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/registry/imports/", {"kind": "officers", "file": SimpleUploadedFile("o.csv", data.encode())}
        )
    item = RegistryImport.objects.get()
    text = client.get(f"/registry/imports/{item.uuid}/").content.decode()
    assert "Nada foi recusado. Aplicar grava" in text and "tem o seu local" not in text
    assert '<span class="label">recusadas</span>' in text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registry/imports/{item.uuid}/apply/")
    text = client.get(f"/registry/imports/{item.uuid}/").content.decode()
    # Rows counted, all of them ("linhas", feminine): one created, none updated or refused.
    assert '<span class="label">criada</span>' in text and '<span class="label">actualizadas</span>' in text
    assert '<span class="label">recusadas</span>' in text
    assert "<td>criada</td>" in text.replace("\n", "")  # the row's own outcome agrees too


def test_the_hint_to_place_rows_runs_on_without_a_space_in_chinese(
    client, django_capture_on_commit_callbacks, settings
):
    """Found on a walk in Chinese: '…未能由地理編碼服務定位。 在地圖上定位', a space after the full stop."""
    settings.GEOCODER = ""
    factories.officer("PSP", username="ada", roles=("administrator",))
    sign_in_client(client, "ada", PASSWORD)
    data = (FILES / "sites_addresses.csv").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/registry/imports/", {"kind": "sites", "file": SimpleUploadedFile("s.csv", data)})
    url = f"/registry/imports/{RegistryImport.objects.get().uuid}/"
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "未能由地理編碼服務定位。<a href=" in chinese
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the geocoder could not place. <a href=" in english


def test_portuguese_outcomes_and_refusals_agree_with_the_rows_and_choices_they_name(
    client, django_capture_on_commit_callbacks
):
    """A review of the Portuguese of the import pages, rendered: the outcomes are of rows ("linhas",
    feminine) wherever they are counted or shown, in the dry run and once applied; a refusal of a
    language or a qualification ("língua", "qualificação", both feminine) reads "Nenhuma", never
    "Nenhum(a)"; a value outside the choices "não é uma das opções"."""
    ada = factories.officer("PSP", username="ada", roles=("administrator",))
    sign_in_client(client, "ada", PASSWORD)
    client.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    head = "external_id,agency,unit,badge_number,full_name,sex,languages\n"
    good = f"P-1,PSP,{ada.unit.code},7001,Ana Rosário,F,\nP-2,PSP,{ada.unit.code},7002,Rui Lopes,M,\n"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/registry/imports/",
            {"kind": "officers", "file": SimpleUploadedFile("o.csv", (head + good).encode())},
        )
    first = RegistryImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registry/imports/{first.uuid}/apply/")
    text = client.get(f"/registry/imports/{first.uuid}/?show=all").content.decode().replace("\n", "")
    assert '<span class="label">criadas</span>' in text and text.count("<td>criada</td>") == 2
    assert ">criada</a>" in text and ">actualizada</a>" in text  # the filters name rows too
    for wrong in ("criado<", "criados<", "actualizado<", "actualizados<", "(a)", "(s)"):
        assert wrong not in text, wrong

    unit = ada.unit.code
    changed = f"{head}P-1,PSP,{unit},7001,Ana Rosário,X,\nP-2,PSP,{unit},7003,Rui Lopes,M,klingon\n"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/registry/imports/", {"kind": "officers", "file": SimpleUploadedFile("o.csv", changed.encode())}
        )
    item = RegistryImport.objects.latest("pk")
    text = unescape(client.get(f"/registry/imports/{item.uuid}/").content.decode())
    assert "«X» não é uma das opções: feminino (F), masculino (M)." in text
    assert "Nenhuma língua tem o código ou o nome «klingon»." in text
    assert '<span class="label">recusadas</span>' in text and "<td>recusada</td>" in text.replace("\n", "")
    for wrong in ("Nenhum(a)", "não é um de", "(a)", "(s)"):
        assert wrong not in text, wrong


def test_chinese_lists_codes_and_punctuates_the_template_as_chinese_does(client):
    """Found on a walk in Chinese: a language not known listed the codes 'lang-en, lang-pt' where
    Chinese lists with 、; the CSV template's notes read 'external_id (必填): …' in half-width
    brackets and colon; the templates' links followed '繁體中文：' after a space."""
    from backend.registry_import import services

    with translation.override("zh-hant"):
        text = reason_text("no_skill_known", {"kind": "language", "value": "x", "codes": "lang-en, lang-pt"})
        assert text.endswith("可用代號：lang-en、lang-pt。"), text
    with translation.override("en"):
        text = reason_text("no_skill_known", {"kind": "language", "value": "x", "codes": "lang-en, lang-pt"})
        assert text.endswith("The codes: lang-en, lang-pt."), text
    notes = services.template_file("shifts", "csv", "zh-hant").decode("utf-8-sig")
    assert "# external_id（必填）：" in notes and "(必填)" not in notes
    assert "# external_id (required): " in services.template_file("shifts", "csv", "en").decode("utf-8-sig")
    factories.officer("PSP", username="ada", roles=("administrator",))
    sign_in_client(client, "ada", PASSWORD)
    page = client.get("/registry/imports/").content.decode()
    assert "繁體中文：<a href=" in page and "English: <a href=" in page
