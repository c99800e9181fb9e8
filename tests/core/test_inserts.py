"""``insert_many`` stores what ``bulk_create`` stores, in one statement per table: the same
columns and values read back (defaults, ``auto_now_add``, JSON, foreign keys of objects saved
after they were assigned), primary keys set in order, clashes skipped on request, and long lists
split under PostgreSQL's parameter limit. On SQLite it is ``bulk_create`` itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from backend.audit.models import AuditEntry
from backend.core import inserts
from backend.core.inserts import insert_many
from backend.outbox.models import OutboxMessage
from backend.reporting.models import RollupQueue

pytestmark = pytest.mark.django_db

COMPARED = ("actor_id", "actor_label", "action", "verb", "object_type", "object_id", "changes")


def _entries(user, n, tag):
    return [
        AuditEntry(
            actor=user,
            actor_label=user.username,
            action="create",
            verb=f"{tag}_{i}",
            object_type="inspections.submission",
            object_id=str(i),
            changes={"n": i, "quote": 'it\'s "here" \\ and 澳門'},
        )
        for i in range(n)
    ]


def test_the_rows_are_those_bulk_create_writes():
    user = get_user_model()(username="inserter")
    pending = _entries(user, 3, "fast")  # assigned before the user has a key
    user.save()
    before = dt.datetime.now(dt.UTC)
    with CaptureQueriesContext(connection) as queries:
        stored = insert_many(pending)
    assert len(queries) == 1
    assert all(e._state.adding is False and e.pk for e in stored)
    AuditEntry.objects.bulk_create(_entries(user, 3, "orm"))

    def rows(tag):
        return [
            tuple(r[k] for k in COMPARED)
            for r in AuditEntry.objects.filter(verb__startswith=tag).order_by("object_id").values()
        ]

    fast, orm = rows("fast"), rows("orm")
    assert [r[:3] + r[4:] for r in fast] == [r[:3] + r[4:] for r in orm]
    assert {r[0] for r in fast} == {user.pk}
    assert all(
        e.at >= before - dt.timedelta(seconds=1) for e in AuditEntry.objects.filter(verb__startswith="fast")
    )


def test_generated_keys_are_set_in_order():
    messages = insert_many([OutboxMessage(task_name=f"task.{i}", kwargs={"i": i}) for i in range(5)])
    by_key = dict(OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).values_list("pk", "kwargs"))
    assert [by_key[m.pk] for m in messages] == [{"i": i} for i in range(5)]
    assert all(m.status == OutboxMessage.Status.PENDING for m in OutboxMessage.objects.filter(pk__in=by_key))


def test_a_long_list_goes_in_several_statements(monkeypatch):
    monkeypatch.setattr(inserts, "MAX_PARAMETERS", 10)
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(23)]
    with CaptureQueriesContext(connection) as queries:
        rows = insert_many([RollupQueue(day=d) for d in days])
    assert (
        sorted(RollupQueue.objects.filter(pk__in=[r.pk for r in rows]).values_list("day", flat=True)) == days
    )
    # SQLite: bulk_create, which splits by its own limit
    assert len(queries) == (5 if connection.vendor == "postgresql" else 1)


def test_a_clash_fails_the_statement_or_is_skipped_on_request():
    user = get_user_model().objects.create(username="clash")
    (first,) = insert_many(_entries(user, 1, "clash"))
    again = AuditEntry(id=first.pk, actor=user, action="create", verb="clash_again")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_many([again])
    insert_many([again, *_entries(user, 1, "clash_new")], ignore_conflicts=True)
    assert AuditEntry.objects.filter(verb__startswith="clash").count() == 2
    assert not AuditEntry.objects.filter(verb="clash_again").exists()


def test_nothing_to_insert_sends_nothing():
    with CaptureQueriesContext(connection) as queries:
        assert insert_many([]) == []
    assert len(queries) == 0


def test_generated_columns_are_left_to_the_database_and_read_back():
    from backend.inspections.models import Finding

    sent, returned = inserts._shape(Finding, False)
    assert "local_day" not in {f.name for f in sent}
    assert [f.name for f in returned] == ["id", "local_day"]
    sent, returned = inserts._shape(Finding, True)
    assert [f.name for f in returned] == ["local_day"]


def test_update_many_changes_what_the_orms_update_changes():
    """The same rows and values as ``filter(pk__in=...).update(...)``, in one statement; the rows
    not named are untouched; a JSON value and an expression go as the ORM sends them."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from backend.core.inserts import update_many

    def made(tag):
        return insert_many([OutboxMessage(task_name=f"{tag}.{i}", kwargs={"i": i}) for i in range(4)])

    mine, twins = made("mine"), made("twin")
    when = dt.datetime(2026, 12, 4, 21, 4, 10, tzinfo=dt.UTC)
    new = {"last_error": "changed", "kwargs": {"to": "澳門", "n": [1, None]}, "finished_at": when}
    with CaptureQueriesContext(connection) as queries:
        update_many(OutboxMessage, [mine[0].pk, mine[2].pk], **new)
    assert len(queries) == 1
    OutboxMessage.objects.filter(pk__in=[twins[0].pk, twins[2].pk]).update(**new)

    def rows(objs):
        return [
            tuple(
                getattr(OutboxMessage.objects.get(pk=o.pk), f)
                for f in ("last_error", "kwargs", "finished_at")
            )
            for o in objs
        ]

    assert rows(mine) == rows(twins)
    assert rows(mine)[0] == ("changed", {"to": "澳門", "n": [1, None]}, when)
    assert rows(mine)[1] == ("", {"i": 1}, None)  # not named: untouched
    update_many(OutboxMessage, [mine[0].pk], last_error=Concat(F("last_error"), Value("!")))  # the ORM's
    assert OutboxMessage.objects.get(pk=mine[0].pk).last_error == "changed!"
    with CaptureQueriesContext(connection) as queries:
        update_many(OutboxMessage, [], last_error="nothing")
    assert len(queries) == 0
