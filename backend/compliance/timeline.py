"""A case's timeline in words.

An event stores what happened, not a sentence: a stable code (``CaseEvent.code``) and the values
its sentence names (``CaseEvent.data``: who, which deadline, how many items, what outcome). The
sentence is written when the timeline is read, in the reader's language, so a Chinese or
Portuguese reader never meets the English of the day the event happened, and a change of wording
reaches every event. Events recorded before codes have none and keep their words as stored.

Dates travel as ISO strings and amounts as decimal strings, and are formatted for the reader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats
from django.utils.translation import npgettext, pgettext

from backend.core.i18n import bracketed, cjk_tight

OPENED = "opened"
NOTICE_ISSUED = "notice_issued"
COMMENT = "comment"
FOLLOW_UP_EARLY = "follow_up_requested.early"
FOLLOW_UP_DEADLINE_PASSED = "follow_up_requested.deadline_passed"
OUTCOME = "outcome"
REOPENED = "reopened"

# Whoever's words these are, a timeline's sentences are in the context of a case's timeline, so a
# word another catalogue translates otherwise ("system", "outcome") reads as the timeline means it.
CONTEXT = "case timeline"


def money(amount: Decimal | str) -> str:
    """An amount as the reader's language writes money: thousands grouped, two decimals
    (20,000.00; pt 20.000,00). Django's ``localize`` groups only under USE_THOUSAND_SEPARATOR,
    which the console leaves off (a badge or a year is no amount), so a penalty read 20000.00."""
    return formats.number_format(Decimal(amount), decimal_pos=2, use_l10n=True, force_grouping=True)


def _date(value: str) -> str:
    return formats.date_format(dt.date.fromisoformat(value), "DATE_FORMAT")


def _opened(p: Mapping[str, Any]) -> str:
    count = len(p["findings"])
    return npgettext(
        CONTEXT, "It covers %(count)d official finding.", "It covers %(count)d official findings.", count
    ) % {"count": count}


def _notice_issued(p: Mapping[str, Any]) -> str:
    return pgettext(CONTEXT, "To be rectified by %(date)s.") % {"date": _date(p["deadline"])}


def _follow_up_early(p: Mapping[str, Any]) -> str:
    count = int(p["carry_items"])
    # The Chinese sentence spaces the name for a Latin one ("由 Chau Kit Ling 在…", where it read
    # "由Chau Kit Ling在"); a Chinese name takes no space ("由周傑玲（B00006）在…").
    return cjk_tight(
        npgettext(
            CONTEXT,
            "Requested early by %(name)s, before the corrective deadline of %(deadline)s; "
            "it will re-check %(count)d failed item.",
            "Requested early by %(name)s, before the corrective deadline of %(deadline)s; "
            "it will re-check %(count)d failed items.",
            count,
        )
        % {"name": _by(p), "deadline": _date(p["deadline"]), "count": count}
    )


def _by(p: Mapping[str, Any]) -> str:
    """Who asked: name and badge in the reader's brackets (stored apart since 2026-12; before,
    as one English text)."""
    if not p.get("by"):
        return system_name()
    return bracketed(p["by"], p["by_badge"]) if p.get("by_badge") else p["by"]


def _follow_up_deadline_passed(p: Mapping[str, Any]) -> str:
    count = int(p["carry_items"])
    return npgettext(
        CONTEXT,
        "The corrective deadline of %(deadline)s passed; the follow-up will re-check %(count)d failed item.",
        "The corrective deadline of %(deadline)s passed; the follow-up will re-check %(count)d failed items.",
        count,
    ) % {"deadline": _date(p["deadline"]), "count": count}


def _outcome(p: Mapping[str, Any]) -> str:
    sentence = _outcome_sentence(p)
    if p.get("before_deadline"):
        early = pgettext(CONTEXT, "%(outcome)s Decided before the corrective deadline of %(deadline)s.")
        sentence = early % {"outcome": sentence, "deadline": _date(p["before_deadline"])}
    if p.get("follow_up_withdrawn"):
        return pgettext(CONTEXT, "%(outcome)s The follow-up request was withdrawn from the planners.") % {
            "outcome": sentence
        }
    return sentence


def _outcome_sentence(p: Mapping[str, Any]) -> str:
    # One sentence per outcome rather than a label dropped into a frame: each language words
    # its outcomes its own way.
    outcome = p["outcome"]
    if outcome == "rectified":
        return pgettext(CONTEXT, "Outcome: rectified on %(date)s.") % {"date": _date(p["rectified_on"])}
    if outcome == "penalty":
        amount = money(p["penalty_amount"])
        return pgettext(CONTEXT, "Outcome: a penalty of %(amount)s MOP.") % {"amount": amount}
    fixed = {
        "licence_suspension": lambda: pgettext(CONTEXT, "Outcome: referred for licence suspension."),
        "licence_cancellation": lambda: pgettext(CONTEXT, "Outcome: referred for licence cancellation."),
        "closed": lambda: pgettext(CONTEXT, "Outcome: closed without action."),
    }
    return fixed[outcome]()


def _reopened(p: Mapping[str, Any]) -> str:
    """The outcome withdrawn and the step the case went back to, by their labels in the reader's
    language (the model's own, as the case's page shows them)."""
    from backend.compliance.models import ComplianceCase  # the models import this module

    sentence = pgettext(
        CONTEXT,
        "Reopened: the outcome “%(outcome)s” decided on %(date)s is withdrawn; the case is back to "
        "“%(status)s”.",
    ) % {
        "outcome": ComplianceCase.Outcome(p["outcome"]).label,
        "date": _date(p["closed_on"]),
        "status": ComplianceCase.Status(p["status"]).label,
    }
    if p.get("follow_up_cleared"):
        return pgettext(
            CONTEXT, "%(reopened)s Its follow-up request, withdrawn at the closing, may be made again."
        ) % {"reopened": sentence}
    return sentence


SENTENCES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    OPENED: _opened,
    NOTICE_ISSUED: _notice_issued,
    COMMENT: lambda p: "",  # the comment is the reviewer's own words, kept in ``reason``
    FOLLOW_UP_EARLY: _follow_up_early,
    FOLLOW_UP_DEADLINE_PASSED: _follow_up_deadline_passed,
    OUTCOME: _outcome,
    REOPENED: _reopened,
}


def event_message(code: str, params: Mapping[str, Any]) -> str:
    """What happened, in the active language; empty for an event without a code (recorded
    before codes) or whose values cannot be read, so the page shows the stored words alone."""
    sentence = SENTENCES.get(code)
    if sentence is None:
        return ""
    try:
        return sentence(params)
    except (KeyError, TypeError, ValueError, InvalidOperation):
        return ""


def system_name() -> str:
    """Who acted when no person did (the nightly deadline run), in the active language."""
    return pgettext(CONTEXT, "system")
