"""The ingest path's reads compiled once (``backend.core.prepared``) answer what the querysets
they come from answer, call after call, with each call's values: the same rows and fields, the
same related objects joined, the same deferred columns, and the same rule (an operation's reveal
time is the call's, not the first call's). On both databases (SQLite sends uuids as hex and
times as text)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.core.errors import NotFound
from backend.inspections import selectors
from backend.inspections.models import Inspection, Submission
from tests.mobile_api.conftest import API, submission_payload

pytestmark = pytest.mark.django_db


def _values(obj):
    deferred = obj.get_deferred_fields()
    fields = obj._meta.concrete_fields
    return {f.attname: getattr(obj, f.attname) for f in fields if f.attname not in deferred}


def test_the_assignments_read_answers_what_its_queryset_answers(field, alice):
    wanted = [field.revealed.uuid, field.sealed.uuid, field.routine.uuid, uuid.uuid4()]
    now = timezone.now()
    expected = {i.uuid: i for i in selectors._for_ingest(alice.pk, now, wanted)}
    with CaptureQueriesContext(connection) as queries:
        got = selectors.assignments_for_ingest(officer=alice, uuids=wanted)
    assert len(queries) == 1
    # Alice's revealed visit only: not the sealed one (reveal ahead), not Bob's, not an unknown id.
    assert set(got) == set(expected) == {field.revealed.uuid}
    mine, orm = got[field.revealed.uuid], expected[field.revealed.uuid]
    assert _values(mine) == _values(orm)
    assert mine.template_version.get_deferred_fields() == {"definition"}
    assert mine._state.adding is False and mine._state.db == "default"
    with CaptureQueriesContext(connection) as queries:  # joined, as select_related joins them
        assert mine.site.name_en == "Golden Lotus Karaoke"
        assert _values(mine.template_version) == _values(orm.template_version)
        assert _values(mine.site) == _values(orm.site)
    assert len(queries) == 0


def test_each_call_reads_with_its_own_time_and_officer(field, alice, bob):
    assert selectors.assignments_for_ingest(officer=alice, uuids=[field.sealed.uuid]) == {}
    # The same compiled statement (one uuid), later: the operation is revealed now.
    with time_machine.travel(field.sealed_operation.reveal_at + dt.timedelta(minutes=1)):
        got = selectors.assignments_for_ingest(officer=alice, uuids=[field.sealed.uuid])
        assert set(got) == {field.sealed.uuid}
        # ...and another officer, through the same statement, still gets nothing of it.
        assert selectors.assignments_for_ingest(officer=bob, uuids=[field.sealed.uuid]) == {}
    assert selectors.assignments_for_ingest(officer=bob, uuids=[field.routine.uuid]).keys() == {
        field.routine.uuid
    }


def test_one_assignment_or_not_found(field, alice):
    one = selectors.assignment_for_ingest(officer=alice, uuid=str(field.revealed.uuid))
    assert one.pk == field.revealed.pk
    for other in (field.sealed.uuid, field.routine.uuid, uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(NotFound):
            selectors.assignment_for_ingest(officer=alice, uuid=other)


def test_stored_submissions_and_what_their_answer_shows(field, alice, phone):
    client = phone(alice)
    payload = submission_payload(field.revealed, field.venue_version)
    assert client.post(f"{API}/submissions/", payload, format="json").status_code == 201
    sent = uuid.UUID(payload["id"])

    with CaptureQueriesContext(connection) as queries:
        stored = selectors.submissions_stored(uuids=[sent, uuid.uuid4()])
    assert len(queries) == 1
    assert set(stored) == {sent}
    submission = stored[sent]
    orm = Submission.objects.get(uuid=sent)
    assert submission.get_deferred_fields() == {"answers"}
    assert _values(submission) == {k: v for k, v in _values(orm).items() if k != "answers"}
    assert submission.inspection.pk == field.revealed.pk and submission.replaces is None

    with CaptureQueriesContext(connection) as queries:
        selectors.submissions_with_answer_parts([submission])
    assert len(queries) == 2
    with CaptureQueriesContext(connection) as queries:
        attachments = list(submission.attachments.all())
        findings = list(submission.findings.all())
    assert len(queries) == 0
    assert {a.pk for a in attachments} == set(orm.attachments.values_list("pk", flat=True))
    assert {f.pk for f in findings} == set(orm.findings.values_list("pk", flat=True)) != set()
    # Asked for more than the kept rows, the submission's own rows alone (not every submission's).
    other = submission_payload(field.revealed, field.screening_version)
    assert client.post(f"{API}/submissions/", other, format="json").status_code == 201
    assert set(submission.findings.filter(status="draft").values_list("pk", flat=True)) == {
        f.pk for f in findings if f.status == "draft"
    }


def test_inspection_rows_read_whole_when_asked_again(field, alice):
    # A prepared read's objects are the ORM's: saving one writes what it holds, no more.
    got = selectors.assignments_for_ingest(officer=alice, uuids=[field.revealed.uuid])[field.revealed.uuid]
    got.route_order = 7
    got.save(update_fields=["route_order"])
    assert Inspection.objects.get(pk=got.pk).route_order == 7


def test_an_inspection_reads_as_its_category_in_the_language_in_use(field):
    from django.utils import translation

    from backend.inspections.models import Category

    inspection = field.revealed
    label = Category(inspection.category).label  # lazy: formatted in the language in use
    shown = {}
    for language in ("en", "zh-hant", "pt"):
        with translation.override(language):
            shown[language] = str(inspection)
            assert shown[language].startswith(f"{label} @ ")
            assert shown[language].split(" @ ")[0] == inspection.get_category_display()
    assert shown["en"] != shown["zh-hant"]  # translated
    inspection.category = "not-a-category"  # an old value no longer among the choices: shown as is
    assert str(inspection).startswith("not-a-category @ ")
