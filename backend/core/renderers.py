"""The API's JSON renderer: DRF's, written by orjson (see backend/core/fastjson.py for what
differs and why)."""

from __future__ import annotations

from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils import encoders

_DRF_ENCODER = encoders.JSONEncoder()
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def _drf_default(obj: Any) -> Any:
    return _DRF_ENCODER.default(obj)


class FastJSONRenderer(JSONRenderer):
    """DRF's ``JSONRenderer`` (compact, UTF-8, strict), written by orjson."""

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if data is None:
            return b""
        if (
            self.ensure_ascii
            or not self.compact
            or not self.strict
            or self.get_indent(accepted_media_type, renderer_context or {}) is not None
        ):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            out = orjson.dumps(data, default=_drf_default, option=_OPTIONS)
        except TypeError:  # too large an integer, half a character: as DRF does
            return super().render(data, accepted_media_type, renderer_context)
        if b"\xe2\x80\xa8" in out or b"\xe2\x80\xa9" in out:  # as DRF: a strict subset of JavaScript
            out = out.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return out


__all__ = ["FastJSONRenderer"]
