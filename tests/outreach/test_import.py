"""CSV import of prevention activities and hotline calls: all rows or none, with errors by row,
from the command and from the admin."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from backend.audit.models import AuditEntry
from backend.outreach.models import Activity, HotlineCall
from backend.outreach.services import ImportRejected, outreach_import_csv
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

ACTIVITIES = """kind,title,organiser,organiser_text,audience,date,sessions,participants
seminar,Know your rights,IAS,,frontline_staff,2021-04-03,1,18
training_class,,,not stated in seed facts,security_officers,2022-05-10,3,75
"""
CALLS = """hotline,kind,outcome,date
report_assistance_24h,inquiry,information_given,2021-01-02
forced_labour,report,referred_labour,2021-01-03
"""


@pytest.fixture
def ias(db):
    return factories.agency("IAS")


def test_activities_are_imported_from_the_command(ias, tmp_path, capsys):
    path = tmp_path / "activities.csv"
    path.write_text(ACTIVITIES, encoding="utf-8")
    call_command("import_outreach", "activities", str(path))
    assert "2 activities imported" in capsys.readouterr().out
    seminar, training = Activity.objects.order_by("held_on")
    assert (seminar.organiser, seminar.participants) == (ias, 18)
    assert (training.organiser_text, training.sessions) == ("not stated in seed facts", 3)
    assert AuditEntry.objects.filter(verb="outreach_import_activities", changes__rows=2).exists()


def test_hotline_calls_are_imported(db):
    result = outreach_import_csv(what="hotline_calls", text=CALLS)
    assert result.created == 2 and HotlineCall.objects.count() == 2


def test_one_bad_row_and_nothing_is_written(ias, tmp_path):
    bad = ACTIVITIES + "lecture,,XYZ,,students,2021-02-30,1,ten\nparty,,IAS,,students,2021-02-01,0,5\n"
    path = tmp_path / "bad.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(CommandError) as failure:
        call_command("import_outreach", "activities", str(path))
    message = str(failure.value)
    assert "row 4" in message and "row 5" in message and "row 2" not in message
    assert Activity.objects.count() == 0


def test_errors_name_the_row_and_the_field(db):
    with pytest.raises(ImportRejected) as failure:
        outreach_import_csv(what="hotline_calls", text=CALLS + "forced_labour,gossip,no_action,2021-13-01\n")
    errors = failure.value.errors
    assert list(errors) == ["row 4"]
    assert any(m.startswith("date:") for m in errors["row 4"])
    assert not HotlineCall.objects.exists()


def test_missing_columns_and_empty_files_are_refused(db):
    with pytest.raises(ImportRejected) as failure:
        outreach_import_csv(what="hotline_calls", text="hotline,kind\n")
    assert "header" in failure.value.errors
    with pytest.raises(ImportRejected):
        outreach_import_csv(what="hotline_calls", text="hotline,kind,outcome,date\n")


def test_an_activity_names_an_agency_or_an_organiser(db):
    text = ACTIVITIES.splitlines()[0] + "\nseminar,,,,employees,2021-01-01,1,5\n"
    with pytest.raises(ImportRejected) as failure:
        outreach_import_csv(what="activities", text=text)
    assert "organiser" in failure.value.errors["row 2"][0]


def test_the_admin_imports_a_file(ias, client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "root", "root@example.invalid", "correct-horse-battery"
    )
    signed_in(client, admin)
    url = "/admin/outreach/activity/import/"
    assert client.get(url).status_code == 200
    assert "Import from CSV" in client.get("/admin/outreach/activity/").content.decode()
    bad = SimpleUploadedFile("a.csv", (ACTIVITIES + "seminar,,,,employees,2021-01-01,1,5\n").encode())
    response = client.post(url, {"file": bad})
    assert response.status_code == 200 and "row 4" in response.content.decode()
    assert Activity.objects.count() == 0
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", ACTIVITIES.encode())})
    assert response.status_code == 302 and Activity.objects.count() == 2


def test_the_admin_import_needs_the_add_permission(ias, client, django_user_model):
    staff = django_user_model.objects.create_user("staff", password="correct-horse-battery", is_staff=True)
    signed_in(client, staff)  # staff are administrators: the sign-in asks for a second factor
    assert client.get("/admin/outreach/activity/import/").status_code == 403
