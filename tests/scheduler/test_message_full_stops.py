"""A checker's message that ends on a time keeps one full stop: English writes an evening time
"9 p.m.", and "outside its wave A at 9 p.m.." read as a typing slip on the plan page."""

from __future__ import annotations

import re

from django.utils import translation

from scheduler.selectors import (
    UNPLANNED_TEXTS,
    VIOLATION_TEXTS,
    one_full_stop,
    unplanned_text,
    violation_text,
)

_PARAM = re.compile(r"%\((\w+)\)s")
_TIME = "10:02 p.m."


def _ending_on_a_placeholder(texts):
    return {key: str(text) for key, text in texts.items() if re.search(r"%\(\w+\)s\.$", str(text))}


def test_english_messages_ending_on_a_time_end_on_one_full_stop():
    with translation.override("en"):
        violations = _ending_on_a_placeholder(VIOLATION_TEXTS)
        unplanned = _ending_on_a_placeholder(UNPLANNED_TEXTS)
        assert {"late_in_wave", "officer_unavailable", "spread"} <= set(violations)
        assert {"shift", "travel"} <= set(unplanned)
        for case, text in violations.items():
            params = {name: _TIME for name in _PARAM.findall(text)}
            message = violation_text({"case": case, "params": params}, {}, {})
            assert message.endswith("p.m.") and not message.endswith(".."), (case, message)
        for rule, text in unplanned.items():
            params = {name: _TIME for name in _PARAM.findall(text)}
            message = unplanned_text({"rule": rule, "params": params})
            assert message.endswith("p.m.") and not message.endswith(".."), (rule, message)


def test_the_seen_messages_read_with_one_full_stop():
    with translation.override("en"):
        wave = {"start": "9:05 p.m.", "wave": "A", "wave_start": "9 p.m."}
        assert violation_text({"case": "late_in_wave", "params": wave}, {}, {}).endswith(
            "outside its wave A at 9 p.m."
        )
        spread = {"wave": "A", "first": "9 p.m.", "last": "10:02 p.m."}
        assert violation_text({"case": "spread", "params": spread}, {}, {}).endswith("to 10:02 p.m.")
        shift = {"officer": "x", "departure": "8:38 p.m.", "back": "11:59 p.m."}
        assert violation_text({"case": "officer_unavailable", "params": shift}, {}, {}).endswith(
            "no shift at 8:38 p.m.–11:59 p.m."
        )


def test_an_ellipsis_and_a_chinese_full_stop_are_left_alone():
    assert one_full_stop("at 9 p.m..") == "at 9 p.m."
    assert one_full_stop("and so on...") == "and so on..."
    assert one_full_stop("and so on…") == "and so on…"
    assert one_full_stop("晚上九時。") == "晚上九時。"
    assert one_full_stop("at 21:00.") == "at 21:00."
