"""backend/core/fastjson.py: orjson writes the API's responses and the ingest path's JSON columns,
and what it writes is what DRF's renderer and ``json.dumps`` wrote."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import uuid

import pytest
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st
from psycopg.types.json import Jsonb
from rest_framework.renderers import JSONRenderer

from backend.core.fastjson import column_dumps, fast_jsonb
from backend.core.renderers import FastJSONRenderer

# JSON as a request body or a stored answer holds it (floats apart: spelled below).
keys = st.text(max_size=8)
scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=20)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_the_same_bytes_as_drfs_renderer(data):
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        scalars | st.floats(allow_nan=False, allow_infinity=False),
        lambda i: st.lists(i, max_size=4),
        max_leaves=10,
    )
)
def test_floats_are_the_same_numbers(data):
    data = [data]  # None alone renders as an empty body
    assert json.loads(FastJSONRenderer().render(data)) == json.loads(JSONRenderer().render(data))
    assert json.loads(column_dumps(data)) == json.loads(json.dumps(data))


def test_the_types_drf_knows_are_written_as_drf_writes_them():
    data = {
        "at": dt.datetime(2026, 12, 4, 19, 11, 15, 36390, tzinfo=dt.UTC),  # UTC as Z
        "macau": dt.datetime(2026, 12, 4, 19, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        "day": dt.date(2026, 12, 4),
        "time": dt.time(21, 4, 10),
        "id": uuid.UUID("0496ea29-514a-4a5c-aa1d-674433fb6110"),
        "label": gettext_lazy("English"),
        "amount": decimal.Decimal("12.50"),
        3: "an integer key",
        "line": "a\u2028b\u2029c",  # escaped, as DRF does, for JavaScript
        "text": "澳門 São Lázaro",
    }
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)
    assert b'"at":"2026-12-04T19:11:15.036390Z"' in FastJSONRenderer().render(data)


def test_what_orjson_cannot_write_is_drfs_answer():
    big = {"n": 2**70}
    assert FastJSONRenderer().render(big) == JSONRenderer().render(big) == b'{"n":1180591620717411303424}'
    assert FastJSONRenderer().render(None) == b""
    half = {"s": "\ud83d"}  # half a character: no renderer can encode it
    with pytest.raises(UnicodeEncodeError):
        JSONRenderer().render(half)
    with pytest.raises(UnicodeEncodeError):
        FastJSONRenderer().render(half)


def test_an_indented_rendering_is_drfs_own():
    data = {"a": [1, 2]}
    wanted = "application/json; indent=2"
    assert FastJSONRenderer().render(data, wanted) == JSONRenderer().render(data, wanted)
    assert b"\n" in FastJSONRenderer().render(data, wanted)


def test_a_nan_in_a_response_is_null_rather_than_a_server_error():
    with pytest.raises(ValueError):
        JSONRenderer().render({"x": math.nan})
    assert FastJSONRenderer().render({"x": math.nan}) == b'{"x":null}'


def test_json_columns_store_what_json_dumps_stored():
    value = {"answers": {"persons": 2, "名": "澳門", 1: True}, "big": 2**80}
    assert json.loads(column_dumps(value)) == json.loads(json.dumps(value))
    assert column_dumps({"a": [1, None]}) == b'{"a":[1,null]}'
    plain = Jsonb({"a": 1}, dumps=json.dumps)
    assert fast_jsonb(plain).dumps is column_dumps and fast_jsonb(plain).obj == {"a": 1}

    def own(obj):
        return json.dumps(obj, sort_keys=True)

    kept = Jsonb({"a": 1}, dumps=own)  # a field with an encoder of its own keeps it
    assert fast_jsonb(kept) is kept
    assert fast_jsonb("text") == "text" and fast_jsonb(None) is None
