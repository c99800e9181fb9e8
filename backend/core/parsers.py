"""The JSON every API reads: bounded in size and depth, and Unicode throughout.

Python's decoder recurses once per level of nesting, so a body nested a thousand deep is a
``RecursionError`` (a server error) and one just under it reaches every later walk of the data; a
``\\ud83d`` escape decodes to half a character that no database column or digest can encode.
Both are the client's mistake, so both are refused here, before any view sees the data.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from rest_framework import exceptions as drf
from rest_framework.parsers import JSONParser
from rest_framework.utils.json import strict_constant

# Deeper than any checklist's answers (a group inside a group is four levels) by a wide margin.
MAX_JSON_DEPTH = 64

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def body_limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def errors() -> Any:
    """backend.core.errors, imported late: it imports DRF's views, which import this module."""
    from backend.core import errors as module

    return module


def _depth_check(text: str) -> None:
    depth = 0
    for char in _NOT_BRACKETS.sub("", _STRINGS.sub('""', text)):
        depth += 1 if char in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            raise errors().TooDeep(
                gettext("JSON may be nested at most %(depth)s levels deep.") % {"depth": MAX_JSON_DEPTH}
            )


def _check_unicode(data: Any) -> None:
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise drf.ParseError(
            gettext("The body holds half a character (an unpaired surrogate); send whole Unicode characters.")
        ) from None


def loads(raw: bytes) -> Any:
    """``raw`` as JSON within the limits above; raises the problems the API answers with."""
    if len(raw) > body_limit():
        raise errors().too_large()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise drf.ParseError(gettext("The body is not UTF-8.")) from None
    _depth_check(text)
    try:
        data = json.loads(text, parse_constant=strict_constant)  # NaN is no number
    except ValueError as exc:
        raise drf.ParseError(f"JSON parse error - {exc}") from None
    if _SURROGATE_ESCAPE.search(text):
        _check_unicode(data)
    return data


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with the limits above (body size, nesting, whole characters)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        if stream is None:
            return None
        limit = body_limit()
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise errors().too_large()
        return loads(raw)
