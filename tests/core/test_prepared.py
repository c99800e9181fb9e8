"""``PreparedRead``: a queryset built and compiled once per shape (the lengths of its lists), then
run with each call's values in their places; what it refuses rather than answer wrongly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.core.prepared import PreparedRead

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def users():
    when = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    return [
        User.objects.create(username=f"u{i}", date_joined=when + dt.timedelta(days=i), is_active=i != 2)
        for i in range(5)
    ]


def _counting(build):
    calls = []

    def counted(**values):
        calls.append(values)
        return build(**values)

    return counted, calls


def test_compiled_once_per_shape_and_run_with_each_calls_values(users):
    build, calls = _counting(
        lambda names, since: User.objects.filter(username__in=names, date_joined__gte=since, is_active=True)
    )
    read = PreparedRead(User, build, names=[str], since=dt.datetime)
    start = users[0].date_joined

    def names(found):
        return sorted(u.username for u in found)

    assert names(read(names=["u0", "u1"], since=start)) == ["u0", "u1"]
    assert names(read(names=["u3", "u4"], since=start + dt.timedelta(days=4))) == ["u4"]
    assert names(read(names=["u2", "u1"], since=start)) == ["u1"]  # u2 is inactive: a constant kept
    assert len(calls) == 1  # two names each time: one compiling
    assert names(read(names=["u0", "u1", "u3"], since=start)) == ["u0", "u1", "u3"]
    assert names(read(names=["u0", "u0", "u1"], since=start)) == ["u0", "u1"]  # twice: once
    assert len(calls) == 2
    with CaptureQueriesContext(connection) as queries:
        read(names=["u4", "u3"], since=start)
    assert len(queries) == 1


def test_the_objects_are_the_orms(users):
    read = PreparedRead(User, lambda name: User.objects.filter(username=name).defer("password"), name=str)
    (got,) = read(name="u3")
    orm = User.objects.defer("password").get(username="u3")
    assert got == orm and got._state.adding is False and got._state.db == "default"
    assert got.get_deferred_fields() == orm.get_deferred_fields() == {"password"}
    assert got.date_joined == orm.date_joined and got.date_joined.tzinfo is not None


def test_an_empty_list_asks_nothing_and_none_is_refused(users):
    read = PreparedRead(User, lambda names: User.objects.filter(username__in=names), names=[str])
    with CaptureQueriesContext(connection) as queries:
        assert read(names=[]) == []
    assert len(queries) == 0
    with pytest.raises(ValueError, match="None"):
        read(names=["u1", None])
    with pytest.raises(TypeError, match="parameters"):
        read(name=["u1"])


def test_a_value_the_query_does_not_send_as_given_is_refused_at_the_first_call(users):
    # The queryset transforms its parameter: the stand-in cannot be found, so no statement could
    # be run again with another value. An error, never a statement that ignores the value.
    read = PreparedRead(User, lambda name: User.objects.filter(username=name.upper()), name=str)
    with pytest.raises(ValueError, match="stand-ins not found"):
        read(name="u1")


def test_annotations_are_set_as_the_orm_sets_them(users):
    from django.db.models import F, Value

    read = PreparedRead(
        User,
        lambda name: User.objects.filter(username=name).annotate(x=Value(1), joined=F("date_joined")),
        name=str,
    )
    (got,) = read(name="u1")
    assert got.x == 1 and got.joined == users[1].date_joined


def test_extra_columns_are_not_a_prepared_reads(users):
    def build(name):
        return User.objects.filter(username=name).extra(select={"y": "1"})

    read = PreparedRead(User, build, name=str)
    with pytest.raises(ValueError, match="extra"):
        read(name="u1")


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="prepared statements are PostgreSQL's; set DATABASE_URL to run it",
)
def test_on_postgresql_the_reads_alone_are_kept_prepared_and_answer_each_calls_values(users):
    """PostgreSQL plans a prepared read once per connection (DB_PREPARED_READS, on by default);
    nothing else is prepared (the ORM's statements and insert_many's stay as they were), and the
    generic plan still answers each call with its own values."""
    from backend.core.inserts import insert_many

    read = PreparedRead(User, lambda names: User.objects.filter(username__in=names), names=[str])
    for i in range(8):  # past psycopg's own threshold of 5, were it in force
        assert [u.username for u in read(names=[f"u{i % 5}"])] == [f"u{i % 5}"]
        list(User.objects.filter(username=f"u{i % 5}"))
    for i in range(8):
        insert_many([User(username=f"new{i}", date_joined=users[0].date_joined)])
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert len(prepared) == 1 and prepared[0].startswith('SELECT "auth_user"."id"'), prepared
    assert "$1" in prepared[0]
    # Django's query log still names the statement a prepared read runs.
    with CaptureQueriesContext(connection) as queries:
        read(names=["u1"])
    assert queries.captured_queries[0]["sql"] == prepared[0]


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a backend killed under a kept connection is PostgreSQL's; set DATABASE_URL to run it",
)
@pytest.mark.django_db(transaction=True)
def test_a_connection_broken_between_requests_is_replaced_not_a_failed_request():
    """After the database restarts, each web thread's kept connection is dead. Django checks it
    at a request's first cursor (CONN_HEALTH_CHECKS); the prepared reads and inserts take their
    cursor themselves and must check it too: without, the first request of each thread after a
    restart failed with 503 (the fault test of a restart, then approvals, found it)."""
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    User.objects.create(username="kept")
    read = PreparedRead(User, lambda names: User.objects.filter(username__in=names), names=[str])
    assert [u.username for u in read(names=["kept"])] == ["kept"]
    pid = connection.connection.info.backend_pid
    with _other() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    connection.close_if_unusable_or_obsolete()  # what Django does as a request starts
    assert [u.username for u in read(names=["kept"])] == ["kept"]  # replaced, not an error
    assert connection.connection.info.backend_pid != pid


def _other():
    """A second session on the test database, to end the first one's backend."""
    import psycopg

    settings = connection.settings_dict
    conninfo = psycopg.conninfo.make_conninfo(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        host=settings["HOST"] or None,
        port=str(settings["PORT"]) if settings["PORT"] else None,
        password=settings["PASSWORD"] or None,
    )
    return psycopg.connect(conninfo, autocommit=True).cursor()
