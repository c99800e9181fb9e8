"""The planner's Chinese calls a thing by one name. The form, the timeline and the routes call a
wave 梯次; the checker's messages about waves said 波次 and 行動波次 ("不在其波次 A（21:30）的時限內"
under a timeline marked "梯次 A 21:30"), and a planner could not tell they meant the same. The
button says 發佈計劃; its note said 發布 and a dropped placing 公佈."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHINESE = sorted(p for p in ROOT.glob("*/**/locale/zh_Hant/LC_MESSAGES/*.po") if ".venv" not in p.parts)
SCHEDULER = ROOT / "scheduler" / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"


def _texts(path: Path) -> list[tuple[str, str]]:
    out = []
    for entry in polib.pofile(str(path)).translated_entries():
        strings = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        out.extend((entry.msgid, text) for text in strings)
    return out


@pytest.mark.parametrize("path", CHINESE, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_wave_is_always_a_梯次(path):
    wrong = [f"{msgid!r}: {text}" for msgid, text in _texts(path) if "波次" in text]
    assert not wrong, "\n".join(wrong)


def test_a_plan_is_always_發佈ed():
    wrong = [
        f"{msgid!r}: {text}"
        for msgid, text in _texts(SCHEDULER)
        if "publish" in msgid.lower() and ("發布" in text or "公佈" in text or "公布" in text)
    ]
    assert not wrong, "\n".join(wrong)
    assert CHINESE and SCHEDULER in CHINESE
