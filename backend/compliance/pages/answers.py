"""A submission shown as the officer answered it: each question's label in the reader's
language beside the answer, section by section, repeat entries in order, photos as the served
copies, and the answers a finding rests on gathered first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from backend.checklists.engine.attachments import ATTACHMENT_TYPES
from backend.checklists.engine.schema import Definition, Question
from backend.core.i18n import language_key, list_separator
from backend.privacy.screening import PROTECTED_NOTE, is_identifying


@dataclass
class Answer:
    path: str
    label: str
    value: str = ""
    photos: list[str] = field(default_factory=list)  # attachment names
    photo_items: list[dict[str, str]] = field(default_factory=list)  # name, served-copy url, label
    # The question's type for a file: "photo" or "signature" (a signature is not described as a
    # photo to a screen reader); "" for any other answer.
    kind: str = ""
    flagged: bool = False
    # The findings (violation codes) the answer is evidence of: what a reviewer reads it for. An
    # answer is evidence whatever its value ("Fee list filed: yes" beside the receipts that were
    # not), so the page names the findings rather than marking the answer as wrong.
    evidence_of: str = ""  # "V-07, V-09" as the reader's language lists them


@dataclass
class Block:
    title: str
    answers: list[Answer]


def _display(question: Question, value: Any, lang: str) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if question.type == "yes_no":
        return _("yes") if value is True else _("no") if value is False else str(value)
    if question.options:
        labels = {o.code: o.label.get(lang) for o in question.options}
        items = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in items)
    if question.type == "gps" and isinstance(value, dict):
        return _position(value)
    if question.type in ("integer", "decimal"):
        return _number(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _number(value: Any) -> str:
    """A number answer as the reader's language writes numbers, grouped ("5,500", "5.500",
    "12,5"); a wage read "5500". The decimals as the officer typed them."""
    if isinstance(value, bool):
        return str(value)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    return number_format(number, use_l10n=True, force_grouping=True)


def _position(value: dict[str, Any]) -> str:
    """A recorded position as "22.19, 113.54 (within 10 m)" in the reader's language; the
    coordinates keep their decimal point in every language (a comma would split them)."""
    lat, lon, accuracy = value.get("lat"), value.get("lon"), value.get("accuracy")
    if lat is None or lon is None:
        return "—"
    where = f"{lat}, {lon}"
    if accuracy is None:
        return where
    return _("%(position)s (within %(metres)s m)") % {
        "position": where,
        "metres": number_format(accuracy, use_l10n=True),
    }


def _walk(
    questions: tuple[Question, ...], answers: dict[str, Any], prefix: str, label_prefix: str, lang: str
) -> list[Answer]:
    out: list[Answer] = []
    for q in questions:
        if q.type == "note" or q.key not in answers:
            continue
        value = answers[q.key]
        path = f"{prefix}{q.key}"
        label = f"{label_prefix}{q.label.get(lang)}"
        if q.type == "repeat":
            for index, entry in enumerate(value if isinstance(value, list) else []):
                if isinstance(entry, dict):
                    entry_label = f"{label_prefix}{q.label.get(lang)} {index + 1} · "
                    out.extend(_walk(q.questions, entry, f"{path}[{index}].", entry_label, lang))
            continue
        if q.type in ATTACHMENT_TYPES:
            names = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
            out.append(Answer(path=path, label=label, value="" if names else "—", photos=names, kind=q.type))
            continue
        if is_identifying(q.key) and value == PROTECTED_NOTE:
            # What the officer wrote about a screened person is in the protected store; the stored
            # answer is a marker, not words to show ("[protected]" in every language).
            out.append(Answer(path=path, label=label, value=_("withheld: victim protection only")))
            continue
        out.append(Answer(path=path, label=label, value=_display(q, value, lang)))
    return out


def present(
    definition: Definition, answers: dict[str, Any], evidence_paths: dict[str, list[str]]
) -> list[Block]:
    """The answers in blocks, the evidence of the findings first in a block of their own and
    marked where they stand too, each with the findings it is evidence of."""
    lang = language_key()
    blocks: list[Block] = []
    flagged: list[Answer] = []
    for section in definition.sections:
        rows = _walk(section.questions, answers or {}, "", "", lang)
        for row in rows:
            if row.path in evidence_paths:
                row.flagged = True
                row.evidence_of = list_separator().join(evidence_paths[row.path])
                flagged.append(row)
        if rows:
            blocks.append(Block(title=section.title.get(lang), answers=rows))
    if flagged:
        blocks.insert(0, Block(title=_("Evidence of the findings"), answers=flagged))
    return blocks


_ENTRY = re.compile(r"^(\w+)\[(\d+)\]$")


def entry_label(definition: Definition, path: str, lang: str) -> str:
    """A repeat entry's path (``workers[3]``, nested ``a[0].b[1]``) in words: each group's label
    and the entry's number counted from 1 ("Worker 4"), as the answers name it. A part the
    definition does not know stays as stored."""
    parts = []
    for part in path.split("."):
        match = _ENTRY.match(part)
        question = definition.questions.get(match.group(1)) if match else None
        if match is None or question is None:
            parts.append(part)
            continue
        parts.append(f"{question.label.get(lang)} {int(match.group(2)) + 1}")
    return " · ".join(parts)


def entry_coded_answers(
    definition: Definition, entry_path: str, entry: dict[str, Any], lang: str, *, leave_out: Any = ()
) -> list[Answer]:
    """The coded answers of one repeat entry (``persons[0]``: a screened person), in the
    checklist's order, each under its question's label in ``lang``: yes/no, choices and numbers
    only. Never an identifying answer (the person's reference, a note: protected), free text, a
    photo or a signature (a person's file), nor the questions ``leave_out`` names."""
    match = _ENTRY.match(entry_path.rsplit(".", 1)[-1]) if entry_path else None
    group = definition.questions.get(match.group(1)) if match else None
    if group is None:
        return []
    return [
        Answer(path=f"{entry_path}.{q.key}", label=q.label.get(lang), value=_display(q, entry[q.key], lang))
        for q in group.questions
        if q.key in entry
        and q.key not in leave_out
        and q.type not in ("note", "repeat", "text", *ATTACHMENT_TYPES)
        and not is_identifying(q.key)
    ]


def question_label(definition: Definition, key: str, lang: str) -> str:
    """A question's label in ``lang``; the key itself for a question the definition lacks."""
    question = definition.questions.get(key)
    return question.label.get(lang) if question else key


def option_label(definition: Definition, key: str, code: str, lang: str) -> str:
    """An option's label of question ``key`` in ``lang``; the code itself when unknown."""
    question = definition.questions.get(key)
    labels = {o.code: o.label.get(lang) for o in question.options} if question else {}
    return labels.get(code, code)


def evidence_paths(findings: Any) -> dict[str, list[str]]:
    """The answer paths the findings rest on (the engine records ``[path, value]`` pairs), each
    with the violation codes of the findings it is evidence of, in the findings' order."""
    paths: dict[str, list[str]] = {}
    for finding in findings:
        for item in finding.evidence or []:
            if isinstance(item, list | tuple) and item:
                codes = paths.setdefault(str(item[0]), [])
                if finding.violation_code not in codes:
                    codes.append(finding.violation_code)
    return paths
