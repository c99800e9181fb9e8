"""The administrators' import pages over HTTP, signed in through the console's sign-in page:
upload, dry run, place, apply; templates and exports; and who may open what (a page or an import
outside one's role or agency is a 404)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from backend.registry.models import Officer, Site
from backend.registry_import.columns import reason_text
from backend.registry_import.models import RegistryImport
from tests import factories
from tests.browser_support import sign_in_client
from tests.registry_import.support import FILES

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture
def admins(db):
    return {
        "PSP": factories.officer("PSP", username="ada", roles=("administrator",)),
        "DSAL": factories.officer("DSAL", username="dora", roles=("administrator",)),
    }


def signed_in(client, username):
    sign_in_client(client, username, PASSWORD)
    return client


def post_file(client, kind, name, data=None):
    data = data if data is not None else (FILES / name).read_bytes()
    return client.post("/registry/imports/", {"kind": kind, "file": SimpleUploadedFile(name, data)})


def test_upload_dry_run_and_apply_through_the_pages(client, admins, django_capture_on_commit_callbacks):
    signed_in(client, "ada")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(client, "sites", "sites_bom.csv")
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200 and "Apply the import" in text and "Golden Lotus Karaoke" in text
    item = RegistryImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(f"/registry/imports/{item.uuid}/apply/")
    assert applied.status_code == 302
    assert Site.objects.filter(external_id__in=["S-001", "S-002", "S-003"]).count() == 3
    # A second apply of the same import is refused in words, and changes nothing.
    again = client.post(f"/registry/imports/{item.uuid}/apply/", follow=True)
    assert "can be applied" in again.content.decode() and Site.objects.count() == 3


def test_refusals_are_shown_with_row_column_and_reason_in_the_readers_language(
    client, admins, django_capture_on_commit_callbacks
):
    signed_in(client, "ada")
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(client, "companies", "companies_duplicates.csv")
    text = client.get(response["Location"]).content.decode()
    assert "C-1" in text and "Apply the import" not in text
    with translation.override("zh-hant"):
        expected = reason_text("duplicate", {"other": "2"})
    assert expected != "The same external id is on row 2."  # the catalogue has it
    assert expected in text


def test_rows_are_placed_on_the_map_page(client, admins, django_capture_on_commit_callbacks, settings):
    settings.GEOCODER = ""
    signed_in(client, "ada")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(client, "sites", "sites_addresses.csv")
    item = RegistryImport.objects.get()
    page = client.get(f"/registry/imports/{item.uuid}/place/")
    assert page.status_code == 200 and 'id="place-map"' in page.content.decode()
    outside = client.post(
        f"/registry/imports/{item.uuid}/place/",
        {"number": 2, "row2-latitude": "22.19", "row2-longitude": "113.54"},
    )
    assert outside.status_code == 400  # Taipa's row placed on the peninsula
    for number, lat, lon in (
        (2, "22.1535", "113.5571"),
        (3, "22.1921", "113.5473"),
        (4, "22.2080", "113.5420"),
    ):
        done = client.post(
            f"/registry/imports/{item.uuid}/place/",
            {"number": number, f"row{number}-latitude": lat, f"row{number}-longitude": lon},
        )
        assert done.status_code == 302
    item.refresh_from_db()
    assert item.status == RegistryImport.Status.READY
    del response


@pytest.mark.parametrize(
    ("language", "meaning"), [("zh-hant", "外部"), ("pt", "externo"), ("en", "External id")]
)
def test_templates_carry_meanings_in_three_languages(client, admins, language, meaning):
    signed_in(client, "ada")
    response = client.get(f"/registry/imports/templates/sites-{language}.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[-2].startswith("external_id,name_en")
    xlsx = client.get(f"/registry/imports/templates/officers-{language}.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_who_may_open_what(client, admins, paula, django_capture_on_commit_callbacks):
    signed_in(client, "dora")
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, "sites", "sites_bom.csv")
    dsal_import = RegistryImport.objects.get()
    client.logout()

    signed_in(client, "ada")  # another agency's administrator
    assert client.get(f"/registry/imports/{dsal_import.uuid}/").status_code == 404
    assert client.post(f"/registry/imports/{dsal_import.uuid}/apply/").status_code == 404
    assert client.get(f"/registry/imports/{dsal_import.uuid}/place/").status_code == 404
    assert "sites_bom.csv" not in client.get("/registry/imports/").content.decode()
    client.logout()

    signed_in(client, "paula")  # a planner
    for url in (
        "/registry/imports/",
        f"/registry/imports/{dsal_import.uuid}/",
        "/registry/imports/export/sites.csv",
    ):
        assert client.get(url).status_code == 404
    assert post_file(client, "sites", "sites_bom.csv").status_code == 404
    client.logout()
    assert client.get("/registry/imports/").status_code == 302  # to the sign-in page
    assert RegistryImport.objects.count() == 1


def test_a_file_that_is_not_csv_or_xlsx_is_a_clear_400(client, admins):
    signed_in(client, "ada")
    response = post_file(client, "sites", "notes.pdf", b"%PDF-1.7")
    assert response.status_code == 400 and "Upload a .csv or .xlsx file." in response.content.decode()
    assert RegistryImport.objects.count() == 0


def test_the_dry_run_page_follows_a_check_running_in_the_worker(client, admins):
    """While the worker checks, the status part polls; once done it asks for the whole page again."""
    from backend.registry_import import services

    item = services.import_receive(
        actor=admins["PSP"].user,
        kind="sites",
        file_name="sites_bom.csv",
        data=(FILES / "sites_bom.csv").read_bytes(),
        in_background=False,  # as if the worker had not started it yet
    )
    signed_in(client, "ada")
    page = client.get(f"/registry/imports/{item.uuid}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "Apply the import" not in page
    part = client.get(f"/registry/imports/{item.uuid}/?part=status", HTTP_HX_REQUEST="true")
    assert part.status_code == 200 and "<progress" in part.content.decode()
    services.import_check(import_id=item.pk)
    done = client.get(f"/registry/imports/{item.uuid}/?part=status", HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    assert "Apply the import" in client.get(f"/registry/imports/{item.uuid}/").content.decode()


def test_the_administrators_home_links_to_the_administration_beside_the_imports(client, admins):
    """The home's administration card promises the registry, users, checklists and policies: its
    link to the Django admin stays when the card also lists console pages (registry imports)."""
    home = signed_in(client, "ada").get("/").content.decode()
    assert "/registry/imports/" in home and 'href="/admin/"' in home


def test_a_failed_check_shows_why_and_no_empty_counts(client, admins):
    # A check that failed has no counts: the page said "None" under "to update" and blank figures.
    item = RegistryImport.objects.create(
        kind="sites",
        file_name="s.csv",
        file_format="csv",
        sha256="0" * 64,
        created_by=admins["PSP"].user,
        agency=admins["PSP"].agency,
        status=RegistryImport.Status.FAILED,
        failure="OSError: the storage is gone",
    )
    text = signed_in(client, "ada").get(f"/registry/imports/{item.uuid}/").content.decode()
    assert "the storage is gone" in text and "Upload it again" in text
    assert "None" not in text and "Dry run" not in text


def test_the_map_page_takes_a_decimal_comma_and_names_the_row_of_a_refusal(
    client, admins, django_capture_on_commit_callbacks, settings
):
    # Portuguese writes "22,1535" (and the files may): the page answered "Introduza um número."
    # twice, naming neither the row nor the box, and a refusal of the place named no row either.
    settings.GEOCODER = ""
    signed_in(client, "ada")
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, "sites", "sites_addresses.csv")
    item = RegistryImport.objects.get()
    url = f"/registry/imports/{item.uuid}/place/"
    with translation.override("pt"):
        typo = client.post(
            url,
            {"number": 2, "row2-latitude": "22.15x", "row2-longitude": "113,5571"},
            HTTP_ACCEPT_LANGUAGE="pt",
        )
        assert typo.status_code == 400 and "Linha 2 · Latitude: " in typo.content.decode()
        outside = client.post(
            url,
            {"number": 2, "row2-latitude": "22,19", "row2-longitude": "113,54"},
            HTTP_ACCEPT_LANGUAGE="pt",
        )
        assert (
            outside.status_code == 400
            and "Linha 2: O ponto fica fora da freguesia" in outside.content.decode()
        )
        placed = client.post(url, {"number": 2, "row2-latitude": "22,1535", "row2-longitude": "113,5571"})
    assert placed.status_code == 302
    row = item.rows.get(number=2)
    assert (row.values["latitude"], row.values["longitude"]) == ("22.153500", "113.557100")


def test_a_refused_place_keeps_every_place_typed_on_the_map_page(
    client, admins, django_capture_on_commit_callbacks, settings
):
    # The page held one form a row: a place refused came back with every box empty, the other
    # rows' coordinates typed but not yet saved with them, and they had to be typed again.
    settings.GEOCODER = ""
    signed_in(client, "ada")
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, "sites", "sites_addresses.csv")
    item = RegistryImport.objects.get()
    url = f"/registry/imports/{item.uuid}/place/"
    sent = {
        "number": "3",
        "row2-latitude": "22,1535",  # Taipa village, as the row names: good
        "row2-longitude": "113,5571",
        "row3-latitude": "22.2600",  # across the border
        "row3-longitude": "113.5450",
    }
    refused = client.post(url, sent)
    text = refused.content.decode()
    assert refused.status_code == 400
    assert 'name="row2-latitude" value="22,1535"' in text and 'value="113,5571"' in text
    assert 'name="row3-latitude" value="22.2600"' in text and 'value="113.5450"' in text
    assert "Row 3: The point lies outside the service area" in text
    assert 'href="#lat-3"' in text and 'id="row-3-error"' in text
    # The refused row is marked, the good one is not; and nothing was saved, all or none.
    assert text.count('aria-invalid="true"') == 2 and 'aria-describedby="row-3-error"' in text
    assert item.rows.filter(needs_place=True).count() == 3

    # A malformed box and a half-typed row are refused in their own box, their text kept.
    typo = client.post(url, {**sent, "row3-latitude": "22.19x", "row4-latitude": "22.208"})
    text = typo.content.decode()
    assert typo.status_code == 400 and 'value="22.19x"' in text and 'value="22.208"' in text
    assert 'href="#lat-3">Row 3 · Latitude: ' in text and 'href="#lon-4">Row 4 · Longitude: ' in text
    assert 'name="row2-latitude" value="22,1535"' in text

    # Corrected, one press saves every row typed.
    fixed = {**sent, "row3-latitude": "22.1921", "row3-longitude": "113.5473"}
    fixed |= {"row4-latitude": "22.2080", "row4-longitude": "113.5420"}
    done = client.post(url, fixed)
    assert done.status_code == 302 and done["Location"] == f"/registry/imports/{item.uuid}/"
    item.refresh_from_db()
    assert item.status == RegistryImport.Status.READY
    assert item.rows.get(number=3).values["latitude"] == "22.192100"


def test_save_with_nothing_typed_asks_for_the_rows_boxes(
    client, admins, django_capture_on_commit_callbacks, settings
):
    settings.GEOCODER = ""
    signed_in(client, "ada")
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, "sites", "sites_addresses.csv")
    item = RegistryImport.objects.get()
    empty = client.post(f"/registry/imports/{item.uuid}/place/", {"number": "2", "row3-latitude": " "})
    text = empty.content.decode()
    assert empty.status_code == 400
    assert 'href="#lat-2">Row 2 · Latitude: ' in text and 'href="#lon-2">Row 2 · Longitude: ' in text
    assert "No place was saved" in text


def test_a_shifts_dry_run_names_each_officer_beside_their_external_id(
    client, admins, django_capture_on_commit_callbacks
):
    # Its name column read "PSP-004512" alone: the administrator knows people by name.
    chan = factories.officer("PSP", username="chan", full_name="CHAN Tai Man 陳大文")
    other = factories.officer("DSAL", username="dsal-one", full_name="Not PSP's")
    Officer.objects.filter(pk=chan.pk).update(external_id="PSP-004512")
    Officer.objects.filter(pk=other.pk).update(external_id="PSP-004513")
    data = (
        b"external_id,agency,officer,kind,start,end\n"
        b"R-1,PSP,PSP-004512,shift,2026-12-03 20:00,2026-12-04 04:00\n"
        b"R-2,PSP,PSP-004513,shift,2026-12-03 20:00,2026-12-04 04:00\n"
    )
    signed_in(client, "ada")
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, "shifts", "shifts.csv", data)
    item = RegistryImport.objects.get()
    text = client.get(f"/registry/imports/{item.uuid}/?show=all").content.decode()
    assert "<td>CHAN Tai Man 陳大文 (PSP-004512)</td>" in text
    assert "<td>PSP-004513</td>" in text and "Not PSP" not in text  # another agency's officer


def test_a_dry_run_with_nothing_refused_opens_on_the_rows_that_change(
    client, admins, django_capture_on_commit_callbacks
):
    # Found on a walk in Chinese: next month's 82 officers, two promoted, opened on all 82 rows.
    signed_in(client, "ada")
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, "sites", "sites_bom.csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registry/imports/{RegistryImport.objects.get().uuid}/apply/")
    export = client.get("/registry/imports/export/sites.csv").content.decode("utf-8-sig")
    changed = export.replace("Golden Lotus Karaoke", "Golden Lotus Karaoke & Bar", 1).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(client, "sites", "next-month.csv", changed)
    text = client.get(response["Location"]).content.decode()
    assert '<a href="?show=changes" aria-current="true">With changes</a>' in text
    assert "<caption>1 row</caption>" in text and "Golden Lotus Karaoke &amp; Bar" in text
    every = client.get(response["Location"] + "?show=all").content.decode()
    assert "<caption>3 rows</caption>" in every


def test_an_export_names_its_sheet_in_the_readers_language(client, admins):
    import io

    from openpyxl import load_workbook

    signed_in(client, "ada")
    client.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    data = client.get("/registry/imports/export/officers.xlsx").content
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Agentes"]


def test_a_dry_run_overtaken_by_a_later_import_of_its_kind_is_not_applied(
    client, admins, django_capture_on_commit_callbacks
):
    # Found on a walk: an officers' list checked, then a corrected one uploaded and applied, then
    # a promotion imported; the first list still offered "Apply the import" from the imports'
    # history, and applying it would have quietly undone the newer lists.
    signed_in(client, "ada")
    unit = admins["PSP"].unit.code
    old = f"external_id,agency,unit,badge_number,full_name,rank\nP-1,PSP,{unit},7001,Ana Rosário,4\n"
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, "officers", "old.csv", old.encode())
    stale = RegistryImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, "officers", "new.csv", old.replace(",4\n", ",5\n").encode())
    newer = RegistryImport.objects.exclude(pk=stale.pk).get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registry/imports/{newer.uuid}/apply/")
    text = client.get(f"/registry/imports/{stale.uuid}/").content.decode()
    assert "Apply the import" not in text and "Upload the file again to check it" in text
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(f"/registry/imports/{stale.uuid}/apply/", follow=True)
    assert "no longer says what applying would do" in refused.content.decode()
    assert Officer.objects.get(external_id="P-1").rank == 5


def test_only_a_later_import_of_the_same_kind_and_agency_overtakes_a_dry_run(
    admins, django_capture_on_commit_callbacks
):
    from backend.registry_import import selectors
    from tests.registry_import.support import apply, upload

    psp, dsal = admins["PSP"], admins["DSAL"]
    row = "external_id,agency,unit,badge_number,full_name\nX-1,{a},{u},7001,Someone\n"
    data = row.format(a="PSP", u=psp.unit.code).encode()
    mine = upload(django_capture_on_commit_callbacks, psp.user, "officers", "psp.csv", data)
    theirs = row.format(a="DSAL", u=dsal.unit.code).encode()
    apply(
        django_capture_on_commit_callbacks,
        dsal.user,
        upload(django_capture_on_commit_callbacks, dsal.user, "officers", "dsal.csv", theirs),
    )
    sites = (FILES / "sites_bom.csv").read_bytes()
    apply(
        django_capture_on_commit_callbacks,
        psp.user,
        upload(django_capture_on_commit_callbacks, psp.user, "sites", "s.csv", sites),
    )
    assert not selectors.import_superseded(mine)
    again = upload(django_capture_on_commit_callbacks, psp.user, "officers", "psp2.csv", data)
    apply(django_capture_on_commit_callbacks, psp.user, again)
    assert selectors.import_superseded(mine)
