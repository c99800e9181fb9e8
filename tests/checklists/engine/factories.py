"""Small builders for definitions in tests: only what a test cares about is spelled out."""

from __future__ import annotations

from typing import Any

from backend.checklists.engine import Definition, parse_definition


def text(en: str = "Label") -> dict[str, str]:
    return {"en": en, "zh-hant": f"{en}（中）", "pt": f"{en} (pt)"}


def question(key: str, type_: str = "yes_no", **extra: Any) -> dict[str, Any]:
    q: dict[str, Any] = {"key": key, "type": type_, "label": text(key)}
    q.update(extra)
    return q


def options(*codes: str, scores: dict[str, float] | None = None) -> list[dict[str, Any]]:
    out = []
    for code in codes:
        o: dict[str, Any] = {"code": code, "label": text(code)}
        if scores and code in scores:
            o["score"] = scores[code]
        out.append(o)
    return out


def rule(code: str, when: str, **extra: Any) -> dict[str, Any]:
    r: dict[str, Any] = {
        "code": code,
        "when": when,
        "violation_code": "V-01",
        "severity": "high",
        "legal_basis": "Admin. Reg. 17/2004",
        "competent_agency": "PSP",
        "title": text(code),
    }
    r.update(extra)
    return r


def raw_definition(*questions: dict[str, Any], findings: list[dict[str, Any]] | None = None,
                   sections: list[dict[str, Any]] | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "format": 1,
        "code": "test_template",
        "title": text("Test template"),
        "site_kinds": ["construction_site"],
        "categories": ["illegal_employment"],
        "sections": sections or [{"key": "main", "title": text("Main"), "questions": list(questions)}],
        "findings": findings or [],
    }


def definition(*questions: dict[str, Any], **kwargs: Any) -> Definition:
    return parse_definition(raw_definition(*questions, **kwargs))


def codes(result: Any) -> list[tuple[str, str]]:
    """(path, code) of every error of a ValidationResult, in order."""
    return [(e.path, e.code) for e in result.errors]


UUID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"


def fill(d: Definition, *, yes: bool = True, entries: int = 1) -> dict[str, Any]:
    """Answer every question of ``d`` with a plain in-range value, ``entries`` entries per group.

    Numbers equal ``entries`` where the bounds allow.

    Coherent enough for the built-ins' constraints (equal counts satisfy ``<=``), so it makes a
    sample submission; count questions are set to the number of entries.
    """

    def value(q: Any) -> Any:
        t = q.type
        if t == "yes_no":
            return yes
        if t in ("integer", "decimal"):
            low = entries if q.min is None else max(q.min, entries)
            return int(low) if q.max is None or low <= q.max else int(q.max)
        if t == "text":
            return "sample text"
        if t == "single_choice":
            return q.options[0].code
        if t == "multiple_choice":
            return [q.options[0].code]
        if t == "date":
            return q.min or "2024-06-01"
        if t == "time":
            return q.min or "09:00"
        if t == "photo":
            return [UUID] if q.multiple else UUID
        if t == "signature":
            return UUID
        if t == "gps":
            return {"lat": 22.19, "lon": 113.54, "accuracy": 10}
        return None

    def level(questions: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for q in questions:
            if q.type == "note":
                continue
            if q.type == "repeat":
                out[q.key] = [level(q.questions) for _ in range(entries)]
            else:
                out[q.key] = value(q)
        return out

    answers = level([q for s in d.sections for q in s.questions])
    for q in d.questions.values():
        if q.type == "repeat" and q.count_question and not q.groups:
            answers[q.count_question] = entries
    return answers
