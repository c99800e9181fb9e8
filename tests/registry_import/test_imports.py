"""Registry imports through their services, on real files: the dry run, apply all or nothing,
matching by external id, refusals with row, column and reason, geocoding against a local
Nominatim, the audit entry, and the round trip through an export."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from backend.audit.models import AuditEntry
from backend.registry.models import Company, Officer, Site
from backend.registry_import import services
from backend.registry_import.columns import reason_text
from backend.registry_import.models import ImportRow, RegistryImport
from tests import factories
from tests.registry_import.support import FILES, Nominatim, apply, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_psp(db):
    return factories.officer("PSP", username="admin-psp", roles=("administrator",))


def refusals(item):
    return [
        (row.number, p["column"], p["code"])
        for row in item.rows.filter(action=ImportRow.Action.REFUSED)
        for p in row.problems
    ]


def test_a_csv_with_a_bom_in_chinese_and_portuguese_is_checked_then_applied(
    django_capture_on_commit_callbacks, admin_psp
):
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "sites", "sites_bom.csv")
    assert item.status == RegistryImport.Status.READY, item.file_problems or refusals(item)
    assert item.counts == {"create": 3, "update": 0, "unchanged": 0, "refused": 0, "to_place": 0}
    assert Site.objects.count() == 0  # a dry run changes nothing

    item = apply(django_capture_on_commit_callbacks, admin_psp.user, item)
    assert item.status == RegistryImport.Status.APPLIED, item.failure
    lotus = Site.objects.get(external_id="S-001")
    assert (lotus.name_zh_hant, lotus.name_pt, lotus.parish) == ("金蓮卡拉OK", "Karaoke Lótus Dourado", "se")
    assert str(lotus.latitude) == "22.192100"
    assert [str(p) for p in lotus.opening_hours.all()][:1] == ["Monday 20:00–02:00"]
    assert lotus.opening_hours.count() == 7
    sauna = Site.objects.get(external_id="S-002")
    # Only a Chinese name: it stands in for the English one the model needs.
    assert (sauna.name_en, sauna.kind, sauna.parish) == ("港灣桑拿", "venue", "sao_lourenco")
    assert Site.objects.get(external_id="S-003").name_pt == "Obra de São Paulo"

    entry = AuditEntry.objects.get(verb="registry_import_apply")
    assert entry.actor == admin_psp.user
    assert entry.changes["sha256"] == item.sha256 and len(item.sha256) == 64
    assert (entry.changes["created"], entry.changes["updated"], entry.changes["rows"]) == (3, 0, 3)
    assert AuditEntry.objects.filter(verb="registry_import_upload", object_id=str(item.uuid)).exists()


def test_importing_again_updates_and_never_duplicates(django_capture_on_commit_callbacks, admin_psp):
    user = admin_psp.user
    apply(
        django_capture_on_commit_callbacks,
        user,
        upload(django_capture_on_commit_callbacks, user, "sites", "sites_bom.csv"),
    )
    again = upload(django_capture_on_commit_callbacks, user, "sites", "sites_bom.csv")
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3, "refused": 0, "to_place": 0}
    again = apply(django_capture_on_commit_callbacks, user, again)
    assert again.counts["created"] == again.counts["updated"] == 0
    assert Site.objects.count() == 3

    original = (FILES / "sites_bom.csv").read_bytes()
    changed = original.replace(b"Rua de Pequim 126", b"Rua de Pequim 130")
    assert changed != original
    third = upload(django_capture_on_commit_callbacks, user, "sites", "next_month.csv", changed)
    assert (third.counts["update"], third.counts["unchanged"], third.counts["create"]) == (1, 2, 0)
    apply(django_capture_on_commit_callbacks, user, third)
    assert Site.objects.count() == 3
    assert Site.objects.get(external_id="S-001").address == "Rua de Pequim 130"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_as_unchanged_and_exports_the_same_file(
    django_capture_on_commit_callbacks, admin_psp, fmt
):
    user = admin_psp.user
    apply(
        django_capture_on_commit_callbacks,
        user,
        upload(django_capture_on_commit_callbacks, user, "sites", "sites_bom.csv"),
    )
    factories.site(name_en="Made in the admin")  # no external id: exported under its UUID
    exported = services.export_file("sites", fmt, agency_id=None)
    item = upload(django_capture_on_commit_callbacks, user, "sites", f"export.{fmt}", exported)
    assert item.counts == {"create": 0, "update": 0, "unchanged": 4, "refused": 0, "to_place": 0}
    if fmt == "csv":
        assert services.export_file("sites", fmt, agency_id=None) == exported
    else:

        def cells(data):
            return [list(r) for r in load_workbook(io.BytesIO(data), read_only=True).worksheets[0].values]

        assert cells(services.export_file("sites", fmt, agency_id=None)) == cells(exported)


def test_an_xlsx_with_merged_title_and_header_cells(django_capture_on_commit_callbacks, admin_psp):
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "sites", "sites_merged_header.xlsx")
    assert item.status == RegistryImport.Status.READY, item.file_problems or refusals(item)
    assert [r.number for r in item.rows.all()] == [5, 6]  # the spreadsheet's own row numbers
    apply(django_capture_on_commit_callbacks, admin_psp.user, item)
    assert Site.objects.get(external_id="X-2").parish == "fatima"  # given as 花地瑪堂區


def test_duplicate_external_ids_and_unknown_contractors_are_refused_with_row_and_column(
    django_capture_on_commit_callbacks, admin_psp
):
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "companies", "companies_duplicates.csv")
    assert item.status == RegistryImport.Status.REFUSED
    assert refusals(item) == [(4, "external_id", "duplicate"), (5, "main_contractor", "no_company")]
    row = item.rows.get(number=4)
    with translation.override("en"):
        assert (
            reason_text(row.problems[0]["code"], row.problems[0]["params"])
            == "The same external id is on row 2."
        )
    with pytest.raises(services.ImportNotReady):
        services.import_apply_request(actor=admin_psp.user, registry_import=item)
    assert Company.objects.count() == 0


def test_a_missing_required_column_refuses_the_file_and_changes_nothing(
    django_capture_on_commit_callbacks, admin_psp
):
    before = (Site.objects.count(), Company.objects.count())
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "sites", "sites_missing_column.csv")
    assert item.status == RegistryImport.Status.REFUSED
    assert item.file_problems == [{"code": "missing_columns", "params": {"columns": "address, parish"}}]
    with translation.override("zh-hant"):
        text = reason_text(item.file_problems[0]["code"], item.file_problems[0]["params"])
    assert "address, parish" in text
    with pytest.raises(services.ImportNotReady):
        services.import_apply_request(actor=admin_psp.user, registry_import=item)
    assert (Site.objects.count(), Company.objects.count()) == before


def test_coordinates_outside_the_parish_named_are_refused(django_capture_on_commit_callbacks, admin_psp):
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "sites", "sites_wrong_parish.csv")
    assert refusals(item) == [(2, "latitude", "outside_parish")]
    assert item.counts["create"] == 1 and item.status == RegistryImport.Status.REFUSED


def test_a_coordinate_too_large_to_round_refuses_its_cell_not_the_whole_check(
    django_capture_on_commit_callbacks, admin_psp
):
    # "1e30" (a spreadsheet's scientific notation) cannot be rounded to six places: the check used
    # to fail whole on decimal.InvalidOperation, the page showing the exception and no row.
    data = (
        b"external_id,name_en,kind,venue_type,address,parish,latitude,longitude\n"
        b"S-300,Far Bar,venue,bar,Rua de Pequim 126,se,1e30,113.5473\n"
        b"S-301,Good Bar,venue,bar,Rua de Pequim 128,se,22.1922,113.5474\n"
    )
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "sites", "sites_far.csv", data)
    assert item.status == RegistryImport.Status.REFUSED and not item.failure
    assert refusals(item) == [(2, "latitude", "number")]
    assert item.counts["create"] == 1


def test_an_unclosed_quotation_mark_is_named_on_the_row_it_opens_on(
    django_capture_on_commit_callbacks, admin_psp
):
    # Row 3's name opens a quotation mark it never closes: rows 4 and 5 are read into that cell.
    # The refusal used to name row 5 (where the swallowed text ends) and say only "too long",
    # "required"; rows 4 and 5 were listed nowhere.
    data = (
        b"external_id,name_en,kind,venue_type,address,parish,latitude,longitude\n"
        b"S-400,Good Bar,venue,bar,Rua de Pequim 126,se,22.1921,113.5473\n"
        b'S-401,"Red Bar,venue,bar,Rua de Pequim 128,se,22.1922,113.5474\n'
        b"S-402,Blue Bar,venue,bar,Rua de Pequim 130,se,22.1923,113.5475\n"
        b"S-403,Green Bar,venue,bar,Rua de Pequim 132,se,22.1924,113.5476\n"
    )
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "sites", "sites_quote.csv", data)
    assert item.status == RegistryImport.Status.REFUSED
    refused = item.rows.get(action=ImportRow.Action.REFUSED)
    assert (refused.number, refused.values["external_id"]) == (3, "S-401")
    assert refused.problems[0] == {"column": "name_en", "code": "unclosed_quote", "params": {"lines": "3"}}
    with translation.override("pt"):
        assert "aspas" in reason_text("unclosed_quote", refused.problems[0]["params"])


def test_a_quotation_mark_never_closed_in_a_long_file_names_its_row(
    django_capture_on_commit_callbacks, admin_psp
):
    # In a long file the unclosed quotation mark reads past the csv module's cell limit: the file was
    # refused as "cannot be read as CSV", with no row, though every line of it is good CSV but one.
    good = b"S-%d,Bar %d,venue,bar,Rua de Pequim 126,se,22.1921,113.5473\n"
    data = (
        b"external_id,name_en,kind,venue_type,address,parish,latitude,longitude\n"
        + good % (1, 1)
        + b'S-2,"Red Bar,venue,bar,Rua de Pequim 128,se,22.1922,113.5474\n'
        + b"".join(good % (n, n) for n in range(3, 3000))
    )
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "sites", "long.csv", data)
    assert item.status == RegistryImport.Status.REFUSED
    assert item.file_problems == [{"code": "cell_too_large", "params": {"row": "3", "limit": "131072"}}]
    with translation.override("pt"):
        assert reason_text("cell_too_large", item.file_problems[0]["params"]).startswith(
            "A linha 3 tem uma célula"
        )


def test_not_a_spreadsheet_is_refused_in_words(django_capture_on_commit_callbacks, admin_psp):
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "sites", "photo.xlsx", b"\x89PNG\r\n")
    assert item.file_problems[0]["code"] == "not_xlsx"
    item = upload(
        django_capture_on_commit_callbacks, admin_psp.user, "sites", "big5.csv", "名稱".encode("big5")
    )
    assert item.file_problems[0]["code"] == "not_utf8"
    with pytest.raises(services.InvalidInput):
        services.import_receive(actor=admin_psp.user, kind="sites", file_name="x.pdf", data=b"%PDF")


def test_addresses_are_geocoded_through_nominatim_checked_and_cached(
    django_capture_on_commit_callbacks, admin_psp, settings
):
    places = {
        "Rua do Cunha 21": (22.1535, 113.5571),  # Taipa village
        "Gongbei Road 1": (22.2600, 113.5450),  # across the border: outside the service area
    }
    with Nominatim(places) as nominatim:
        settings.GEOCODER = f"nominatim:{nominatim.url}"
        settings.GEOCODER_MIN_DELAY_SECONDS = 0.01
        item = upload(django_capture_on_commit_callbacks, admin_psp.user, "sites", "sites_addresses.csv")
        assert len(nominatim.queries) == 3
        assert nominatim.queries[0]["bounded"] == ["1"] and "viewbox" in nominatim.queries[0]
        assert item.status == RegistryImport.Status.TO_PLACE
        assert item.counts["to_place"] == 2
        rows = {r.values["external_id"]: r for r in item.rows.all()}
        assert (rows["G-1"].placed, rows["G-1"].values["latitude"]) == ("geocoder", "22.153500")
        assert rows["G-2"].place_problem == "not_found"
        assert rows["G-3"].place_problem == "outside_area"

        # The administrator places the two on the map; a point outside the parish is refused.
        with pytest.raises(services.InvalidInput):
            services.import_place(
                actor=admin_psp.user, registry_import=item, number=3, latitude="22.13", longitude="113.56"
            )
        services.import_place(
            actor=admin_psp.user, registry_import=item, number=3, latitude="22.1921", longitude="113.5473"
        )
        services.import_place(
            actor=admin_psp.user, registry_import=item, number=4, latitude="22.2080", longitude="113.5420"
        )
        item.refresh_from_db()
        assert item.status == RegistryImport.Status.READY
        apply(django_capture_on_commit_callbacks, admin_psp.user, item)
        assert str(Site.objects.get(external_id="G-2").latitude) == "22.192100"

        # The answers are cached: checking the same addresses again asks the service nothing.
        asked = len(nominatim.queries)
        changed = (FILES / "sites_addresses.csv").read_bytes().replace(b"G-1", b"G-9")
        again = upload(django_capture_on_commit_callbacks, admin_psp.user, "sites", "again.csv", changed)
        assert len(nominatim.queries) == asked
        assert again.rows.get(number=2).placed == "geocoder"
        # Known sites with the same address keep their place: nothing to geocode, nothing to place.
        assert again.rows.get(number=3).action == ImportRow.Action.UNCHANGED


def test_without_a_geocoder_rows_are_left_to_place(django_capture_on_commit_callbacks, admin_psp, settings):
    settings.GEOCODER = ""
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "sites", "sites_addresses.csv")
    assert item.counts["to_place"] == 3
    assert {r.place_problem for r in item.rows.all()} == {"no_geocoder"}


def test_an_agency_administrator_imports_the_own_agency_officers_only(
    django_capture_on_commit_callbacks, admin_psp
):
    factories.unit(factories.agency("PSP"), code="psp-hq")
    factories.unit(factories.agency("DSAL"), code="dsal-hq")
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "officers", "officers_two_agencies.csv")
    assert refusals(item) == [(4, "agency", "not_your_agency")]
    with pytest.raises(services.ImportNotReady):
        services.import_apply_request(actor=admin_psp.user, registry_import=item)
    assert not Officer.objects.filter(external_id__in=["P-1", "P-2", "D-1"]).exists()

    # A superuser of no agency imports every agency's officers.
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="x" * 20)
    item = upload(django_capture_on_commit_callbacks, root, "officers", "officers_two_agencies.csv")
    assert item.status == RegistryImport.Status.READY, refusals(item)
    apply(django_capture_on_commit_callbacks, root, item)
    assert set(
        Officer.objects.filter(external_id__in=["P-1", "P-2", "D-1"]).values_list("agency__code", flat=True)
    ) == {
        "PSP",
        "DSAL",
    }
    chan = Officer.objects.get(external_id="P-1")
    assert (chan.full_name, chan.user.username, chan.user.has_usable_password()) == (
        "CHAN Tai Man 陳大文",
        "psp-7001",
        False,
    )
    assert chan.role_codes() == {"inspector"}
    # The PSP administrator's export holds PSP's officers only.
    exported = services.export_file("officers", "csv", agency_id=admin_psp.agency_id).decode("utf-8-sig")
    assert "P-1" in exported and "D-1" not in exported


def test_rank_titles_in_each_language_come_in_and_a_file_without_them_keeps_them(
    django_capture_on_commit_callbacks, admin_psp
):
    """A rank title in Chinese and in Portuguese beside the agency's own (the notice names its
    issuer in the notice's language); a later file with only ``rank_title`` leaves them be."""
    factories.unit(factories.agency("PSP"), code="psp-hq")
    user = admin_psp.user
    data = (
        "external_id,agency,unit,badge_number,full_name,rank,rank_title,rank_title_zh_hant,rank_title_pt,sex\n"
        "P-1,PSP,psp-hq,7001,CHAN Tai Man 陳大文,3,Deputy Chief,副警長,Subchefe,M\n"
    ).encode()
    apply(
        django_capture_on_commit_callbacks,
        user,
        upload(django_capture_on_commit_callbacks, user, "officers", "a.csv", data),
    )
    chan = Officer.objects.get(external_id="P-1")
    assert (chan.rank_title, chan.rank_title_zh_hant, chan.rank_title_pt) == (
        "Deputy Chief",
        "副警長",
        "Subchefe",
    )
    with translation.override("zh-hant"):
        assert chan.rank_title_shown == "副警長"

    data = (
        b"external_id,agency,unit,badge_number,full_name,rank,rank_title,sex\n"
        b"P-1,PSP,psp-hq,7001,CHAN Tai Man,4,Chief,M\n"
    )
    item = apply(
        django_capture_on_commit_callbacks,
        user,
        upload(django_capture_on_commit_callbacks, user, "officers", "b.csv", data),
    )
    assert item.status == RegistryImport.Status.APPLIED, item.failure
    chan.refresh_from_db()
    assert (chan.rank_title, chan.rank_title_zh_hant, chan.rank_title_pt) == ("Chief", "副警長", "Subchefe")
    exported = services.export_file("officers", "csv", agency_id=admin_psp.agency_id).decode("utf-8-sig")
    assert exported.splitlines()[0].split(",")[6:9] == ["rank_title", "rank_title_zh_hant", "rank_title_pt"]
    assert ",Chief,副警長,Subchefe," in exported


def test_apply_is_all_or_nothing(django_capture_on_commit_callbacks, admin_psp):
    """A badge taken between the dry run and the apply: the apply fails whole (no login, no officer)."""
    factories.unit(factories.agency("PSP"), code="psp-hq")
    data = (FILES / "officers_two_agencies.csv").read_bytes()
    data = b"\n".join(data.splitlines()[:3])  # the two PSP rows
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "officers", "psp.csv", data)
    assert item.status == RegistryImport.Status.READY
    factories.officer("PSP", badge_number="7002", username="late-comer")
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.count()
    item = apply(django_capture_on_commit_callbacks, admin_psp.user, item)
    assert item.status == RegistryImport.Status.FAILED and "IntegrityError" in item.failure
    assert not Officer.objects.filter(external_id__in=["P-1", "P-2"]).exists()
    assert get_user_model().objects.count() == users
    assert not AuditEntry.objects.filter(verb="registry_import_apply").exists()


def test_shifts_match_officers_by_external_id(django_capture_on_commit_callbacks, admin_psp):
    officer = factories.officer("PSP")
    Officer.objects.filter(pk=officer.pk).update(external_id="PSP-1")
    data = (
        b"external_id,agency,officer,kind,start,end,note\n"
        b"R-1,PSP,PSP-1,shift,2026-12-04 20:00,2026-12-05 04:00,night\n"
        b"R-2,psp,PSP-1,leave,2026-12-06 00:00,2026-12-05 00:00,\n"
        b"R-3,PSP,PSP-404,shift,2026-12-04 20:00,2026-12-05 04:00,\n"
    )
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "shifts", "roster.csv", data)
    assert refusals(item) == [(3, "end", "end_before_start"), (4, "officer", "no_officer")]
    good = upload(
        django_capture_on_commit_callbacks,
        admin_psp.user,
        "shifts",
        "roster.csv",
        b"\n".join(data.splitlines()[:2]),
    )
    apply(django_capture_on_commit_callbacks, admin_psp.user, good)
    shift = Officer.objects.get(external_id="PSP-1").availability.get(external_id="R-1")
    assert shift.start.isoformat() == "2026-12-04T12:00:00+00:00"  # 20:00 in Macao
    again = upload(
        django_capture_on_commit_callbacks,
        admin_psp.user,
        "shifts",
        "roster.csv",
        b"\n".join(data.splitlines()[:2]),
    )
    assert again.counts["unchanged"] == 1


@pytest.mark.parametrize("language", ["en", "zh-hant", "pt"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_read_back_as_their_own_kind(django_capture_on_commit_callbacks, admin_psp, fmt, language):
    data = services.template_file("companies", fmt, language)
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "companies", f"t.{fmt}", data)
    assert item.file_problems == [] and item.rows_total == 1
    assert item.status == RegistryImport.Status.READY, refusals(item)


def test_the_management_command_prints_the_dry_run_and_applies(admin_psp, capsys):
    from django.core.management import CommandError, call_command

    call_command(
        "import_registry", "companies", str(FILES / "companies_duplicates.csv"), "--user", "admin-psp"
    )
    out = capsys.readouterr()
    assert "2 to create" in out.out and "2 refused" in out.out
    assert "Row 4, external_id: The same external id is on row 2." in out.err
    with pytest.raises(CommandError, match="Not applied"):
        call_command(
            "import_registry",
            "companies",
            str(FILES / "companies_duplicates.csv"),
            "--user",
            "admin-psp",
            "--apply",
        )
    assert Company.objects.count() == 0
    call_command("import_registry", "sites", str(FILES / "sites_bom.csv"), "--user", "admin-psp", "--apply")
    assert "Applied: 3 created, 0 updated." in capsys.readouterr().out
    assert Site.objects.count() == 3


def test_a_check_that_fails_says_so_instead_of_staying_checking(admin_psp):
    item = services.import_receive(
        actor=admin_psp.user, kind="sites", file_name="s.csv", data=b"external_id\n", in_background=False
    )
    item.file.storage.delete(item.file.name)  # the stored upload is gone (storage fault)
    item = services.import_check(import_id=item.pk)
    assert item.status == RegistryImport.Status.FAILED and item.failure.startswith("FileNotFoundError")
    assert Site.objects.count() == 0
