"""A reason in Chinese has no space between two Chinese characters: a visit no wave could take
read "可加入的梯次 W1（21:30） 開始時，場所均未有 45 分鐘的營業時間" on the plan page (the translation's
space beside the wave's code stood after its Chinese bracket; a helper's walk in Traditional
Chinese). The space beside a Latin code stays, and English and Portuguese are untouched."""

from __future__ import annotations

from django.utils import translation

from scheduler import selectors

NO_WAVE = {"rule": "wave", "reason": "no_wave_fits", "params": {"opening": "22:00–05:00", "minutes": 45}}


def test_a_wave_with_its_time_is_followed_by_no_space_in_chinese():
    u = {**NO_WAVE, "params": {**NO_WAVE["params"], "waves": "W1（21:30）"}}
    with translation.override("zh-hant"):
        text = selectors.unplanned_text(u)
    assert "可加入的梯次 W1（21:30）開始時" in text, text
    assert "） 開" not in text


def test_english_keeps_its_spaces():
    u = {**NO_WAVE, "params": {**NO_WAVE["params"], "waves": "W1 (9:30 p.m.)"}}
    with translation.override("en"):
        text = selectors.unplanned_text(u)
    assert text.startswith("No wave it may join (W1 (9:30 p.m.)) starts while the site is open"), text
