"""Reads on the ingest path with their SQL compiled once per process, not once per request.

A read the officers' API makes on every request (the device token, the idempotency read of the
submissions' ids, the assignments a submission names) spent more CPU in Django's SQL compiler
than in PostgreSQL: building the queryset, resolving its joins and compiling its ``WHERE`` took
about 1 ms each, several times per request (profiled: 40 % of a single submission's CPU in the
web process; README, "Performance").

``PreparedRead(model, build, **kinds)`` keeps the queryset in one place, built by ``build`` from
its parameters, as before. The first call for a shape (the lengths of the list parameters) builds it
with stand-in values of the declared kinds, compiles it, and notes where each stand-in landed in
the statement's parameters; every later call sends the same statement with the call's values in
those places, and turns the rows into model instances exactly as the ORM's own iterator does
(``from_db``, ``select_related`` objects populated, deferred fields deferred, annotations set).
On PostgreSQL the statement goes through ``server_binding_cursor``, its values bound on the
server, and is prepared on each connection the first time (``DB_PREPARED_READS``, on unless a
pooler forbids it): PostgreSQL then plans it once per connection, not once per request, which
halved its CPU per submission (README, "Performance"). So the rule stays
the queryset's (a change to it is a change to the read), and only its compiling is spared.

What the values may not do: change the statement's shape beyond the length of a list, i.e. be
None (``IS NULL``) or empty (no rows at all; that call answers ``[]`` without a query). A
stand-in that does not come out unchanged among the compiled parameters is an error at the
first call (tests compile every prepared read), never a wrong answer.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import threading
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import psycopg
from django.db import connections, models, router
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=models.Model)


class _Statement:
    """What Django's query log reads of a psycopg cursor (``_query.query``)."""

    __slots__ = ("params", "query")

    def __init__(self, query: str) -> None:
        self.query, self.params = query.encode(), None


class _PreparingCursor(psycopg.RawCursor):
    """A ``RawCursor`` whose statements are prepared on the server at their first execution."""

    def execute(
        self, query: Any, params: Any = None, *, prepare: bool | None = True, binary: bool | None = None
    ) -> Any:
        try:
            return super().execute(query, params, prepare=prepare, binary=binary)
        finally:
            # psycopg runs a prepared statement without noting it as the cursor's query, and
            # Django's query log (``last_executed_query``, what CaptureQueriesContext and
            # connection.queries show) reads that note: without this it records None.
            self._query = _Statement(query)  # type: ignore[assignment]


def server_binding_cursor(connection: Any, *, prepared: bool = False) -> Any:
    """A psycopg ``RawCursor`` on a PostgreSQL connection's session (statements written with
    ``$1, $2, ...``, values bound on the server), wrapped as ``connection.cursor()`` wraps its
    own: query logging and counting, database errors as Django's (``IntegrityError``).

    ``prepared``: its statements are prepared on the server at their first execution (when the
    connection allows it: settings' ``DB_PREPARED_READS``); only the prepared reads ask for that,
    a few fixed statements per process.

    One such cursor per connection (connections are the thread's own) is used again: making a
    cursor for each statement was 5 % of a submission's CPU. Not closed after use: it goes with
    its connection.

    Django's own cursor binds on the client: psycopg parses the statement's ``%s`` in Python on
    every execution (uncached past 4 KB or 50 values) and quotes every value into the text."""
    # As Django's own cursor() does: a connection that a request finds broken (the database
    # restarted, a failover) is checked once and replaced, instead of failing the request (503).
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    key = "_server_preparing_cursor" if prepared else "_server_binding_cursor"
    raw = connection.__dict__.get(key)
    if raw is None or raw.closed or raw.connection is not connection.connection:
        with connection.wrap_database_errors:
            kind = _PreparingCursor if prepared else psycopg.RawCursor
            raw = connection.__dict__[key] = kind(connection.connection)
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


_PLACEHOLDER = re.compile(r"%(%|s)")


def _numbered(sql: str) -> str:
    """Django's ``%s`` placeholders as PostgreSQL's ``$1, $2, ...`` (and ``%%`` as ``%``)."""
    count = itertools.count(1)
    return _PLACEHOLDER.sub(lambda m: "%" if m.group(1) == "%" else f"${next(count)}", sql)


_counter = itertools.count(1)


def _stand_in(kind: type) -> Any:
    """A value of ``kind`` that nothing else in a query can equal."""
    n = next(_counter)
    if kind is uuid.UUID:
        return uuid.uuid4()
    if kind is int:
        return -(7_300_000_000_000 + n)  # no key, count or code is ever this
    if kind is str:
        return f"\x1fstand-in {uuid.uuid4().hex}"
    if kind is dt.datetime:
        return dt.datetime(1901, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=n * 7 + 3)
    if kind is bytes:
        return b"\x1f" + uuid.uuid4().bytes
    raise TypeError(f"no stand-in for {kind!r}")


def _forms(kind: type, alias: str) -> dict[str, Callable[[Any], Any]]:
    """How a value of ``kind`` may reach the statement's parameters on this database: as it is
    (PostgreSQL's native uuid and timestamptz), or adapted by the backend (SQLite's hex uuids
    and text timestamps)."""
    forms: dict[str, Callable[[Any], Any]] = {"as is": lambda v: v}
    if kind is uuid.UUID:
        forms["hex"] = lambda v: v.hex
    if kind is dt.datetime:
        forms["adapted"] = connections[alias].ops.adapt_datetimefield_value
    return forms


class _Compiled:
    __slots__ = (
        "annotations",
        "converters",
        "end",
        "init_list",
        "model",
        "native",
        "params",
        "places",
        "populators",
        "sql",
        "start",
    )

    def __init__(
        self, queryset: models.QuerySet[Any], stand_ins: dict[str, Any], kinds: dict[str, Any], alias: str
    ) -> None:
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        wanted: dict[Any, tuple[str, int | None, Callable[[Any], Any]]] = {}
        for name, value in stand_ins.items():
            kind = kinds[name][0] if isinstance(kinds[name], list) else kinds[name]
            for form in _forms(kind, alias).values():
                for i, v in enumerate(value) if isinstance(value, list) else [(None, value)]:
                    wanted[form(v)] = (name, i, form)
        places: list[tuple[int, str, int | None, Callable[[Any], Any]]] = []
        for position, param in enumerate(params):
            try:
                where = wanted.get(param)
            except TypeError:  # an unhashable parameter (a list): a constant of the query
                where = None
            if where is not None:
                places.append((position, *where))
        expected = {
            (n, i) for n, v in stand_ins.items() for i in (range(len(v)) if isinstance(v, list) else [None])
        }
        missing = expected - {(name, i) for _, name, i, _ in places}
        if missing:
            raise ValueError(f"stand-ins not found among the compiled parameters: {sorted(missing, key=str)}")
        if queryset._known_related_objects or queryset.query.extra_select:
            raise ValueError("a prepared read returns model rows (and annotations), no extra() columns")
        # On PostgreSQL the values are bound on the server and the statement is prepared on the
        # connection (server_binding_cursor(prepared=True)): planning the assignments read, a
        # join of nine tables, was 1.1 ms of PostgreSQL's 1.2 for it; prepared, it is planned
        # once per connection and its generic plan kept (every such read goes by a unique key).
        self.native = connections[alias].vendor == "postgresql"
        self.sql = _numbered(sql) if self.native else sql
        self.params = list(params)
        self.places = places
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, alias)
        self.converters = compiler.get_converters([f[0] for f in select])
        self.annotations = list(compiler.annotation_col_map.items())


class PreparedRead(Generic[M]):
    """A read compiled once per shape and run with each call's values (see the module).

    ``model``: what the read returns (for the database router); ``build(**values)``: the
    queryset; ``kinds``: each parameter's type (``uuid.UUID``, ``int``, ``str``,
    ``dt.datetime``, ``bytes``), or ``[type]`` for a list of them."""

    def __init__(self, model: type[M], build: Callable[..., models.QuerySet[M]], **kinds: Any) -> None:
        self.model = model
        self.build = build
        self.kinds = kinds
        self._compiled: dict[tuple[Any, ...], _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str, shape: tuple[Any, ...]) -> _Compiled:
        stand_ins = {
            name: [_stand_in(kind[0]) for _ in range(size)] if isinstance(kind, list) else _stand_in(kind)
            for (name, kind), size in zip(self.kinds.items(), shape, strict=True)
        }
        return _Compiled(self.build(**stand_ins), stand_ins, self.kinds, alias)

    def __call__(self, **values: Any) -> list[M]:
        if values.keys() != self.kinds.keys():
            raise TypeError(f"expected the parameters {sorted(self.kinds)}, got {sorted(values)}")
        # Lists as IN lists: each value once (as the ORM sends them), so the shape is their number.
        values = {
            k: list(dict.fromkeys(v)) if isinstance(self.kinds[k], list) else v for k, v in values.items()
        }
        if any(isinstance(self.kinds[k], list) and not v for k, v in values.items()):
            return []  # the ORM answers an empty IN without asking the database either
        if any(v is None or (isinstance(v, list) and None in v) for v in values.values()):
            raise ValueError("a prepared read's values may not be None (it would change the SQL)")
        alias = router.db_for_read(self.model) or "default"
        shape = tuple(len(values[n]) if isinstance(k, list) else None for n, k in self.kinds.items())
        key = (alias, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(alias, shape)
                self._compiled[key] = compiled
        return self._run(compiled, alias, values)

    @staticmethod
    def _run(compiled: _Compiled, alias: str, values: dict[str, Any]) -> list[M]:
        params = compiled.params.copy()
        for position, name, index, form in compiled.places:
            params[position] = form(values[name] if index is None else values[name][index])
        connection = connections[alias]
        rows: Sequence[Any]
        if compiled.native:
            cursor = server_binding_cursor(connection, prepared=True)
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        else:
            with connection.cursor() as cursor:
                cursor.execute(compiled.sql, params)
                rows = cursor.fetchall()
        if compiled.converters:  # as the compiler's apply_converters, with this thread's connection
            converted = []
            for row in map(list, rows):
                for position, (functions, expression) in compiled.converters.items():
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
                converted.append(row)
            rows = converted
        model, init_list, start, end = compiled.model, compiled.init_list, compiled.start, compiled.end
        annotations = compiled.annotations
        out = []
        for row in rows:
            obj = model.from_db(alias, init_list, row[start:end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            out.append(obj)
        return out
