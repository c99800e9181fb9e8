"""A roster's times as Macao writes them: the day first (31/12/2026 20:00, 31-12-2026, 1/2/2027
8:00), beside the year first (2026-12-31 20:00) and a spreadsheet's date cells. A helper's walk:
a roster kept in Excel and saved as CSV in Macao reads 31/12/2026 20:00, and every row of it was
refused ("not a local time like 2026-12-04 20:00"). Never the month first: 12/31/2026 is refused
saying the day comes first, and a two-digit year is refused rather than guessed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone, translation
from openpyxl import Workbook

from backend.registry.models import Availability, Officer
from backend.registry_import.columns import SHIFTS, reason_text
from backend.registry_import.models import RegistryImport
from tests import factories
from tests.registry_import.support import apply, upload

pytestmark = pytest.mark.django_db
HEADER = b"external_id,agency,officer,kind,start,end,note\n"


@pytest.fixture
def admin_psp(db):
    officer = factories.officer("PSP", username="admin-psp", roles=("administrator",))
    Officer.objects.filter(pk=factories.officer("PSP").pk).update(external_id="PSP-1")
    return officer


def _local(shift: Availability, field: str) -> str:
    return timezone.localtime(getattr(shift, field)).strftime("%Y-%m-%d %H:%M")


def test_day_first_times_are_read_as_macao_writes_them(django_capture_on_commit_callbacks, admin_psp):
    data = HEADER + (
        b"R-1,PSP,PSP-1,shift,31/12/2026 20:00,01/01/2027 04:00,slashes\n"
        b"R-2,PSP,PSP-1,shift,31-12-2026 20:00,1-1-2027 4:00,dashes\n"
        b"R-3,PSP,PSP-1,leave,4/12/2026,5/12/2026,the day first and no time: midnight\n"
        b"R-4,PSP,PSP-1,shift,2026-12-04 20:00,2026-12-05T04:00:00,ISO\n"
        b"R-5,PSP,PSP-1,shift,04/12/2026 20:00:00,05/12/2026 04:00:00,seconds\n"
    )
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "shifts", "roster.csv", data)
    assert item.status == RegistryImport.Status.READY, [r.problems for r in item.rows.all()]
    apply(django_capture_on_commit_callbacks, admin_psp.user, item)
    shifts = {s.external_id: (_local(s, "start"), _local(s, "end")) for s in Availability.objects.all()}
    assert shifts == {
        "R-1": ("2026-12-31 20:00", "2027-01-01 04:00"),
        "R-2": ("2026-12-31 20:00", "2027-01-01 04:00"),
        "R-3": ("2026-12-04 00:00", "2026-12-05 00:00"),
        "R-4": ("2026-12-04 20:00", "2026-12-05 04:00"),
        "R-5": ("2026-12-04 20:00", "2026-12-05 04:00"),  # 4 December: the day comes first
    }
    # Exported in ISO, the same shifts read back as they are: nothing to change.
    again = upload(
        django_capture_on_commit_callbacks,
        admin_psp.user,
        "shifts",
        "again.csv",
        data.replace(b"31-12-2026 20:00", b"2026-12-31 20:00"),
    )
    assert again.counts["unchanged"] == 5


def test_a_time_that_is_ambiguous_or_impossible_is_refused_naming_the_formats(
    django_capture_on_commit_callbacks, admin_psp
):
    data = HEADER + (
        b"R-1,PSP,PSP-1,shift,12/31/2026 20:00,01/01/2027 04:00,the month first\n"
        b"R-2,PSP,PSP-1,shift,31/12/26 20:00,01/01/2027 04:00,two-digit year\n"
        b"R-3,PSP,PSP-1,shift,31/02/2027 20:00,2027-03-01 04:00,no such day\n"
        b"R-4,PSP,PSP-1,shift,tonight,2027-03-01 04:00,no date\n"
    )
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "shifts", "roster.csv", data)
    refused = {r.number: [(p["column"], p["code"]) for p in r.problems] for r in item.rows.all()}
    assert refused == {
        2: [("start", "no_such_date")],
        3: [("start", "two_digit_year")],
        4: [("start", "no_such_date")],
        5: [("start", "datetime")],
    }
    with translation.override("en"):
        assert reason_text("no_such_date", {"value": "12/31/2026 20:00"}) == (
            "“12/31/2026 20:00” is not a date and time that exists, read with the day first (the day "
            "comes before the month: 12/31/2026 is refused). Write DD/MM/YYYY HH:MM (31/12/2026 "
            "20:00), DD-MM-YYYY HH:MM or YYYY-MM-DD HH:MM."
        )
        assert "Write the year in four digits" in reason_text("two_digit_year", {"value": "31/12/26"})
    for language, formats in (("pt", "DD/MM/AAAA HH:MM"), ("zh-hant", "DD/MM/YYYY HH:MM")):
        with translation.override(language):
            for code in ("datetime", "two_digit_year", "no_such_date"):
                text = reason_text(code, {"value": "x"})
                assert formats in text and "31/12/2026 20:00" in text
                assert "is not" not in text  # translated
            meaning = str(next(c.meaning for c in SHIFTS.columns if c.key == "start"))
            assert formats in meaning and "31/12/2026 20:00" in meaning


def test_an_excel_roster_with_date_cells(django_capture_on_commit_callbacks, admin_psp):
    book = Workbook()
    sheet = book.active
    sheet.append(["external_id", "agency", "officer", "kind", "start", "end"])
    # Date cells, one stored a shade under 20:00 as a day's fraction can be; and text day first.
    sheet.append(
        ["R-1", "PSP", "PSP-1", "shift", dt.datetime(2026, 12, 31, 20, 0), dt.datetime(2027, 1, 1, 4)]
    )
    sheet.append(
        ["R-2", "PSP", "PSP-1", "shift", dt.datetime(2026, 12, 4, 19, 59, 59, 712000), "05/12/2026 04:00"]
    )
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=6):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
    out = io.BytesIO()
    book.save(out)
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "shifts", "roster.xlsx", out.getvalue())
    assert item.status == RegistryImport.Status.READY, [r.problems for r in item.rows.all()]
    values = {r.values["external_id"]: (r.values["start"], r.values["end"]) for r in item.rows.all()}
    assert values == {
        "R-1": ("2026-12-31 20:00", "2027-01-01 04:00"),
        "R-2": ("2026-12-04 20:00", "2026-12-05 04:00"),
    }
