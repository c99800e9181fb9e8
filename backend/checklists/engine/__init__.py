"""Checklist engine: template definitions, answer validation, skip logic, scoring, finding rules.

Pure Python (standard library only, no Django). The Django side stores definitions as JSON,
calls these functions and persists what they return.

Public API
==========

``parse_definition(raw) -> Definition``
    Parse and check a version definition (a JSON object). Raises ``DefinitionError`` naming the
    question or rule at fault. Every expression is parsed here, once.
``validate_submission(definition, answers) -> ValidationResult``
    Every error of a submission (``errors``), the answers given to hidden questions (``dropped``,
    ignored and removed), and the kept answers (``answers``). Never raises for any answers.
``derive(definition, answers) -> Derivation``
    ``score`` (``Score``), ``findings`` (tuple of ``Finding``, rules in definition order, per-entry
    rules in entry order) and the ``validation`` computed on the way.
``load_builtin() -> dict[str, dict]``
    The built-in definitions (``backend/checklists/builtin/*.json``) as plain JSON, by code.

``definition`` may be a parsed ``Definition`` or the raw mapping; parse once when you validate
many submissions.

Definition format (``format`` 1)
================================

::

    {"format": 1, "code": "employment_agency",
     "title": {"en": "...", "zh-hant": "...", "pt": "..."},      # every text needs all three
     "description": {...},                                         # optional
     "site_kinds": ["employment_agency"],      # construction_site, employment_agency, venue
     "categories": ["employment_agency"],      # prostitution_trafficking, illegal_employment,
                                               # construction_large_scale, construction_preventive,
                                               # construction_questionnaire, employment_agency
     "sections": [{"key": "licence", "title": {...}, "visible_if": "<expr>", "questions": [...]}],
     "findings": [<rule>, ...]}

A question: ``{"key", "type", "label", "hint"?, "visible_if"?, "required"? | "required_if"?,
"constraint"?, "constraint_message"?}`` plus, by type:

=================  ===========================================  ===============================
type               extra attributes                             answer (JSON)
=================  ===========================================  ===============================
yes_no             score {"yes": n, "no": n}, weight            true / false
integer            min, max                                     whole number
decimal            min, max                                     number, or a string "12.50"
text               min_length, max_length, multiline            string
single_choice      options [{code, label, score?}], weight      option code
multiple_choice    options, weight, min_selected, max_selected  list of distinct option codes
date               min, max ("YYYY-MM-DD")                      "YYYY-MM-DD"
time               min, max ("HH:MM[:SS]")                      "HH:MM" or "HH:MM:SS"
photo              multiple, min_count, max_count (if multiple) attachment UUID (list if multiple)
signature                                                       attachment UUID
gps                max_accuracy (metres)                        {"lat", "lon", "accuracy"?}
repeat             questions [...], count_question, min/max_count  list of {key: answer} objects
note               (display only: key, type, label, hint, visible_if; takes no answer)
=================  ===========================================  ===============================

Keys are lower-case identifiers, unique across the whole definition (also inside repeat groups).
Unknown attributes are refused, so a typo cannot silently switch a rule off. ``required`` on a
repeat or multiple choice means at least one entry / option. Attachments are only checked for
shape (a UUID string); the Django side checks they exist.

A finding rule::

    {"code": "worker_without_card", "when": "<expr>", "violation_code": "V-01",
     "severity": "high",                   # low, medium, high, critical
     "legal_basis": "Admin. Reg. 17/2004; Law 21/2009", "competent_agency": "PSP",
     "title": {...}, "per_entry": "workers",  # optional: fire once per entry of this repeat group
     "potential_victim": false,            # true: a screening signal, the Django side refers the case
     "evidence": ["fl_07", "fl_09"]}       # optional: answers copied into the finding

Scores: a yes/no question scores ``score.yes`` or ``score.no``; a choice scores its option's
``score`` (a multiple choice the sum of the selected ones); times ``weight`` (default 1). Only
visible, validly answered questions count, in both the total and the maximum.

Expression language
===================

Used by ``visible_if``, ``required_if``, ``constraint`` and finding rules' ``when``.

- Literals: ``12``, ``0.5``, ``'text'`` or ``"text"`` (escapes ``\\'`` ``\\"`` ``\\\\`` ``\\n`` ``\\t``),
  ``true``, ``false``, ``null``, lists ``['a', 'b']``.
- ``workers_count``: the answer to another question; ``.``: the answer being checked (constraints only).
- Operators, loosest first: ``or``; ``and``; ``not``; comparisons ``=`` (or ``==``) ``!=`` ``<``
  ``<=`` ``>`` ``>=`` ``in`` ``not in`` (these do not chain); ``+ -``; ``* /``; unary ``-``.
- Functions:
  ``selected(q, 'code')`` is the option chosen (single or multiple choice);
  ``count_selected(q)`` the number of options chosen; ``count(group)`` the number of entries;
  ``len(x)`` the length of a text or list (0 for null); ``is_empty(x)`` null, blank text or empty list;
  ``count_true(a, b, ...)`` how many arguments are true; ``coalesce(a, b, ...)`` the first non-null;
  ``any(group, <expr>)``, ``all(group, <expr>)``, ``count_where(group, <expr>)``,
  ``sum(group, <expr>)`` evaluate ``<expr>`` once per entry of a repeat group (the expression may
  also be given quoted, ``any(workers, 'age < 18')``).
- Scope: inside a repeat entry a key names the entry's own answer, or one outside the group.
  A question inside a group cannot be named from outside it except through the aggregates.
  Unknown keys, out-of-scope keys, unknown option codes in ``selected``, non-boolean conditions
  and visibility cycles are refused when the definition is parsed.
- Null semantics (evaluation never raises): hidden, missing and wrongly typed answers are null.
  Arithmetic and ordering with null or mismatched types give null (so does division by zero);
  ``=``/``!=`` compare strictly (different types are unequal, ``null = null`` is true);
  ``and``/``or``/``not`` are three-valued with null as unknown. A condition holds only when it
  is exactly ``true``; a constraint fails only when it is exactly ``false`` and is checked only
  when the question is answered; dates and times compare as ISO text.
- Syntax errors raise ``ExpressionError`` with ``position`` (0-based offset).

Validation error codes: see ``ERROR_CODES``. Paths name repeat entries by 0-based index,
``workers[2].nationality``. Answers to hidden questions are never errors: they are dropped.
"""

from .attachments import ATTACHMENT_TYPES, attachment_refs, personal_attachment_refs, signature_refs
from .builtin import load_builtin
from .expressions import ExpressionError, parse_expression, to_source
from .findings import Derivation, Finding, derive
from .schema import (
    CATEGORIES,
    LANGUAGES,
    QUESTION_TYPES,
    SEVERITIES,
    SITE_KINDS,
    Definition,
    DefinitionError,
    Expression,
    FindingRule,
    Option,
    Question,
    Section,
    Text,
    YesNoScore,
    parse_definition,
)
from .scoring import QuestionScore, Score, SectionScore
from .validation import ERROR_CODES, AnswerError, ValidationResult, validate_submission

__all__ = [
    "ATTACHMENT_TYPES",
    "CATEGORIES",
    "ERROR_CODES",
    "LANGUAGES",
    "QUESTION_TYPES",
    "SEVERITIES",
    "SITE_KINDS",
    "AnswerError",
    "Definition",
    "DefinitionError",
    "Derivation",
    "Expression",
    "ExpressionError",
    "Finding",
    "FindingRule",
    "Option",
    "Question",
    "QuestionScore",
    "Score",
    "Section",
    "SectionScore",
    "Text",
    "ValidationResult",
    "YesNoScore",
    "attachment_refs",
    "derive",
    "load_builtin",
    "parse_definition",
    "parse_expression",
    "personal_attachment_refs",
    "signature_refs",
    "to_source",
    "validate_submission",
]
