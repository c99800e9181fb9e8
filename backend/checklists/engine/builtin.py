"""The built-in template definitions shipped as JSON beside this package."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["BUILTIN_DIR", "load_builtin"]

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "builtin"


def load_builtin() -> dict[str, dict[str, Any]]:
    """Every built-in definition as plain JSON data, by template code, sorted by code.

    The data is returned unparsed, ready to store as a version definition; pass it through
    ``parse_definition`` to get the typed form.
    """
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(BUILTIN_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        code = data.get("code") if isinstance(data, dict) else None
        if not isinstance(code, str):
            raise ValueError(f"{path.name}: a built-in definition needs a string 'code'")
        if code in out:
            raise ValueError(f"{path.name}: duplicate built-in code {code!r}")
        out[code] = data
    return dict(sorted(out.items()))
