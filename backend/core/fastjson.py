"""JSON written by orjson where the standard library's encoder was the cost, with its output.

Two places wrote JSON on every submission in pure Python: the API's responses (DRF's
``JSONRenderer``, through ``json.dumps`` and its encoder class) and the JSON columns that
``insert_many`` sends (Django hands psycopg a ``Jsonb`` that calls ``json.dumps``). Together they
were about a tenth of a 200-item batch's CPU in the web process (py-spy; README, "Performance").
orjson writes the same JSON several times faster. The renderer is backend/core/renderers.py
(apart: DRF's modules cannot be imported while the apps load, and the audit's inserts are).

The same JSON, not merely valid JSON: whatever orjson would write differently goes to the
standard library as before. Datetimes (DRF writes UTC as ``Z``), lazy translations, decimals and
the other types DRF's encoder knows go through that encoder's ``default``; integers beyond 64
bits, unpaired surrogates and anything orjson refuses fall back to ``json.dumps`` whole; an
indented or ASCII-only rendering (the browsable API, ``?indent``) is DRF's own. What differs:
a float may be spelled otherwise (``1e16`` for ``1e+16``, the same number), and a NaN or an
infinity in a response, which DRF refuses with a server error, is written as ``null``.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from psycopg.types.json import Jsonb


def column_dumps(obj: Any) -> bytes | str:
    """For a JSON column: what ``json.dumps(obj)`` stores, written by orjson when it can."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:  # orjson.JSONEncodeError: a type or value it does not write as json does
        return json.dumps(obj)


def fast_jsonb(value: Any) -> Any:
    """``value`` as Django prepared it for a JSON column, its dumping done by orjson when it was
    the standard library's ``json.dumps`` (a field with an encoder of its own keeps it)."""
    if type(value) is Jsonb and value.dumps is json.dumps:
        return Jsonb(value.obj, dumps=column_dumps)
    return value


__all__ = ["column_dumps", "fast_jsonb"]
