"""Multi-row inserts for the ingest path, without the ORM's SQL compiler.

``insert_many(objs)`` stores unsaved model instances as ``QuerySet.bulk_create`` does (one
statement for all of them, primary keys set on the objects, related objects saved earlier picked
up), for the plain case only: one concrete table, an auto-incremented or given primary key. The
values go through the fields' own ``pre_save`` and ``get_db_prep_save`` (defaults,
``auto_now_add``, JSON, encrypted fields), as the ORM sends them (JSON written by orjson:
backend/core/fastjson.py); only the statement is built
differently: its text is made once per model, columns and row count, and a plain ``VALUES`` list
is sent instead of Django 5.2's ``UNNEST`` of arrays, whose client-side array quoting was the
largest single cost of a submission on PostgreSQL (profiled: 12 % of the web process's CPU, and
the compiler's expressions another 20 %; README, "Performance").

The statement is written with PostgreSQL's own placeholders (``$1, $2, ...``) and its values are
bound on the server, through psycopg's ``RawCursor``: Django's client-side cursor has psycopg
parse a statement's ``%s`` placeholders in Python on every execution, uncached past 4 KB, which
for a batch's multi-row inserts (thousands of placeholders) was a quarter of the batch's CPU
(profiled: 25 ms to split one 4,000-placeholder statement), and quotes every value into the text.

On another database, and for any model this does not cover (inheritance, a field with its own
placeholder), it is ``bulk_create`` itself. The statement still goes through Django's cursor
wrapper, so query counts, logging, error translation (``IntegrityError``) and transactions see
it as any other.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections, models, router

from backend.core.fastjson import fast_jsonb
from backend.core.prepared import server_binding_cursor

M = TypeVar("M", bound=models.Model)
# Parameters per statement (PostgreSQL takes at most 65,535): a longer list goes in several.
MAX_PARAMETERS = 30_000


@functools.cache
def _fields(model: type[models.Model]) -> list[models.Field] | None:
    """The model's columns, or None when it is not the plain case."""
    opts = model._meta
    if opts.parents or opts.proxy or not opts.managed:
        return None
    fields = [f for f in opts.concrete_fields if f.column]
    if any(hasattr(f, "get_placeholder") for f in fields):
        return None
    return fields


@functools.cache
def _shape(model: type[models.Model], with_pk: bool) -> tuple[list[models.Field], list[models.Field]]:
    """The columns a row sends and those the database gives back: the key it draws (unless
    given) and the generated columns (``GeneratedField``, as the ORM reads them back)."""
    pk = model._meta.pk
    fields = _fields(model) or []
    sent = [f for f in fields if not f.generated and (with_pk or f is not pk)]
    returned = [f for f in fields if f.generated or (f is pk and not with_pk)]
    return sent, returned


@functools.lru_cache(maxsize=512)
def _sql(model: type[models.Model], with_pk: bool, rows: int, ignore_conflicts: bool) -> str:
    """``INSERT INTO t (columns) VALUES ($1, ...), ... RETURNING ...``, made once per shape."""
    quote = connections["default"].ops.quote_name
    sent, returned = _shape(model, with_pk)
    width = len(sent)
    values = ", ".join(
        "(" + ", ".join(f"${r * width + c + 1}" for c in range(width)) + ")" for r in range(rows)
    )
    if ignore_conflicts:
        tail = " ON CONFLICT DO NOTHING"
    else:
        tail = (" RETURNING " + ", ".join(quote(f.column) for f in returned)) if returned else ""
    columns = ", ".join(quote(f.column) for f in sent)
    # Names quoted from the model, values as parameters: nothing here comes from input.
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    return head + values + tail


def insert_many(objs: Sequence[M], *, ignore_conflicts: bool = False) -> list[M]:
    """Insert ``objs`` (unsaved instances of one model) in one statement and return them, their
    primary keys (and generated columns) set; with ``ignore_conflicts`` rows that clash are
    skipped and nothing is read back, as ``bulk_create(ignore_conflicts=True)`` does."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql" or _fields(model) is None:
        return model._default_manager.bulk_create(objs, ignore_conflicts=ignore_conflicts)
    with_pk = objs[0].pk is not None
    if any((o.pk is not None) != with_pk for o in objs):  # a mix: the ORM sorts it out
        return model._default_manager.bulk_create(objs, ignore_conflicts=ignore_conflicts)
    sent, returned = _shape(model, with_pk)
    per_statement = max(1, MAX_PARAMETERS // max(len(sent), 1))
    cursor = server_binding_cursor(connection)
    for start in range(0, len(objs), per_statement):
        chunk = objs[start : start + per_statement]
        params: list[Any] = []
        for obj in chunk:
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
            params.extend(fast_jsonb(f.get_db_prep_save(f.pre_save(obj, True), connection)) for f in sent)
        cursor.execute(_sql(model, with_pk, len(chunk), ignore_conflicts), params)
        if returned and not ignore_conflicts:
            for obj, values in zip(chunk, cursor.fetchall(), strict=True):
                for f, value in zip(returned, values, strict=True):
                    setattr(obj, f.attname, value)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs


@functools.lru_cache(maxsize=64)
def _update_sql(model: type[models.Model], columns: tuple[str, ...]) -> str:
    """``UPDATE t SET a = $1, b = $2 WHERE pk = ANY($3)``, made once per model and columns."""
    quote = connections["default"].ops.quote_name
    sets = ", ".join(f"{quote(column)} = ${i}" for i, column in enumerate(columns, 1))
    pk = quote(model._meta.pk.column)
    # Names quoted from the model, values as parameters: nothing here comes from input.
    return f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {pk} = ANY(${len(columns) + 1})"  # noqa: S608


def update_many(model: type[M], pks: Sequence[Any], **values: Any) -> None:
    """``model.objects.filter(pk__in=pks).update(**values)`` for plain values (no expressions),
    in one statement whose text is made once: the ORM compiled the same ``UPDATE`` on every
    submission (the inspection's status). Values go through their fields' ``get_db_prep_save``
    as the ORM's would; on another database, or for anything but plain concrete fields, it is the
    ORM's ``update`` itself."""
    if not pks:
        return
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in values]
    plain = all(
        getattr(f, "concrete", False)
        and f.column
        and not f.primary_key
        and not hasattr(values[f.name], "resolve_expression")
        for f in fields
    )
    if connection.vendor != "postgresql" or not plain or _fields(model) is None:
        model._default_manager.filter(pk__in=list(pks)).update(**values)
        return
    params = [fast_jsonb(f.get_db_prep_save(values[f.name], connection)) for f in fields]
    params.append(list(pks))
    server_binding_cursor(connection).execute(_update_sql(model, tuple(f.column for f in fields)), params)


__all__ = ["insert_many", "update_many"]
