"""The demo's cases are written in their writers' languages: why each was opened and why it was
closed had all been English, read among a Portuguese or Chinese page's translated words. A
reviewer with a Chinese name writes Chinese, a Portuguese speaker (the Macanese officers)
Portuguese; one writer, one language."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from backend.compliance.models import CaseEvent
from backend.demo.city import demo_data
from backend.demo.work import CASE_TEXTS, writes_in
from backend.registry.models import Officer

pytestmark = pytest.mark.django_db


def _language(text: str) -> str:
    if re.search(r"[\u3400-\u9fff]", text):
        return "zh-hant"
    if re.search(r"[ãõçáéíóúâêô]", text, re.I):
        return "pt"
    return "en"


def test_each_reviewer_writes_the_demos_cases_in_their_own_language(demo):
    by_writer: dict[int, set[str]] = defaultdict(set)
    reasons = CaseEvent.objects.filter(
        kind__in=(CaseEvent.Kind.OPENED, CaseEvent.Kind.OUTCOME), actor__isnull=False
    ).exclude(reason="")
    assert reasons.count() >= 6  # the labour bureau's cases at each stage, and the police's
    for event in reasons:
        by_writer[event.actor_id].add(_language(event.reason))
        assert any(event.reason in texts.values() for texts in CASE_TEXTS.values()), event.reason
    assert set().union(*by_writer.values()) != {"en"}
    for user_id, languages in by_writer.items():
        officer = Officer.objects.get(user_id=user_id)
        assert languages == {writes_in(officer)}, (officer.full_name, languages)
        if re.search(r"[\u3400-\u9fff]", officer.full_name):
            assert languages == {"zh-hant"}


def test_the_case_texts_say_the_same_in_each_language():
    assert {_language(text) for text in CASE_TEXTS["pt"].values()} == {"pt"}
    assert {_language(text) for text in CASE_TEXTS["zh-hant"].values()} == {"zh-hant"}
    assert {_language(text) for text in CASE_TEXTS["en"].values()} == {"en"}
    assert len({frozenset(texts) for texts in CASE_TEXTS.values()}) == 1


def test_a_macanese_officer_writes_portuguese_and_a_chinese_one_chinese(demo):
    surnames = tuple(f" {name}" for name in demo_data()["words"]["portuguese_surnames"])
    officers = list(Officer.objects.order_by("badge_number"))
    macanese = [o for o in officers if o.full_name.endswith(surnames)]
    chinese = [o for o in officers if not o.full_name.endswith(surnames)]
    assert macanese and chinese
    assert {writes_in(o) for o in macanese} == {"pt"}
    # Among them the data protection officer, Leong Ka Man, who speaks Portuguese too.
    assert {writes_in(o) for o in chinese[:40] + [o for o in chinese if o.full_name == "Leong Ka Man"]} == {
        "zh-hant"
    }
