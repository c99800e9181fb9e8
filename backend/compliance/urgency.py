"""Why a referral is immediate: the rule the referral's creation applies (``services``) and its
page explains (``pages.protection``), kept in one place so the two never disagree.

A screened person's entry (the answers of one repeat entry, ``persons[0]``) makes the referral
immediate when it says the person is a minor (the ILO screening's age band, or a venue
checklist's "appears to be under 18"), names an indicator that cannot wait (restriction of
movement, violence), or records visible signs of violence. Only coded answers are read."""

from __future__ import annotations

from typing import Any

MINOR_AGE_BANDS = ("under_16", "16_17")
IMMEDIATE_INDICATORS = ("fl_03", "fl_05")  # restriction of movement, physical and sexual violence

# The reasons, each a code the page words in the reader's language.
MINOR_BY_AGE_BAND = "minor_age_band"
APPARENT_MINOR = "apparent_minor"
SIGNS_OF_VIOLENCE = "signs_of_violence"


def entry_at(answers: dict[str, Any], path: str) -> dict[str, Any]:
    """The answers of one repeat entry, ``persons[2]`` (nested groups: ``a[0].b[1]``)."""
    node: Any = answers
    for part in path.split(".") if path else []:
        name, _sep, rest = part.partition("[")
        node = node.get(name, []) if isinstance(node, dict) else []
        index = int(rest.rstrip("]")) if rest else 0
        node = node[index] if isinstance(node, list) and index < len(node) else {}
    return node if isinstance(node, dict) else {}


def immediate_reasons(entry: dict[str, Any]) -> list[str]:
    """Why the person of ``entry`` is referred for immediate attention, in this order: a minor by
    the age band, an apparent minor, each immediate indicator present (its key), signs of
    violence; empty when nothing makes it immediate (the referral is then same-day)."""
    reasons = []
    if entry.get("age_band") in MINOR_AGE_BANDS:
        reasons.append(MINOR_BY_AGE_BAND)
    if entry.get("apparent_minor") is True:
        reasons.append(APPARENT_MINOR)
    reasons += [key for key in IMMEDIATE_INDICATORS if entry.get(key) is True]
    if entry.get("signs_of_violence") is True:
        reasons.append(SIGNS_OF_VIOLENCE)
    return reasons
