"""Which answers refer to attachments (photos, signatures), so the server can check that each
one was declared and later arrived."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .schema import Definition, Question

ATTACHMENT_TYPES = frozenset({"photo", "signature"})

__all__ = ["ATTACHMENT_TYPES", "attachment_refs", "personal_attachment_refs", "signature_refs"]


def attachment_refs(definition: Definition, answers: Any) -> list[tuple[str, str]]:
    """``(path, reference)`` for every attachment reference in ``answers`` (kept answers, as
    ``validate_submission`` returns them), in document order. Malformed shapes are skipped:
    validation reports them."""
    return [(path, ref) for path, ref, _type in _all(definition, answers)]


def personal_attachment_refs(definition: Definition, answers: Any) -> set[str]:
    """The references of the attachments that belong to a person: every signature, and every
    photo inside a repeat's entry (the repeats of the built-in checklists are people: workers,
    respondents, job seekers, screened persons). Such files are stored encrypted."""
    return {ref for path, ref, type_ in _all(definition, answers) if type_ == "signature" or "." in path}


def signature_refs(definition: Definition, answers: Any) -> set[str]:
    """The references that answer a signature question (not a photo)."""
    return {ref for _path, ref, type_ in _all(definition, answers) if type_ == "signature"}


def _all(definition: Definition, answers: Any) -> list[tuple[str, str, str]]:
    if not isinstance(answers, Mapping):
        return []
    out: list[tuple[str, str, str]] = []
    for section in definition.sections:
        out.extend(_walk(section.questions, answers, ""))
    return out


def _walk(
    questions: tuple[Question, ...], answers: Mapping[str, Any], prefix: str
) -> Iterator[tuple[str, str, str]]:
    for q in questions:
        value = answers.get(q.key)
        path = f"{prefix}{q.key}"
        if q.type in ATTACHMENT_TYPES:
            refs = value if isinstance(value, list) else [value]
            for index, ref in enumerate(refs):
                if isinstance(ref, str):
                    yield (f"{path}[{index}]" if isinstance(value, list) else path), ref, q.type
        elif q.type == "repeat" and isinstance(value, list):
            for index, entry in enumerate(value):
                if isinstance(entry, Mapping):
                    yield from _walk(q.questions, entry, f"{path}[{index}].")
