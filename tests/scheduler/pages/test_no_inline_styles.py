"""The planner's templates hold no inline style or script: the console's Content-Security-Policy
refuses both, so a template with one draws unstyled (or breaks) the day it is used. Print styles
live in static files (scheduler/briefing_print.css)."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[3] / "scheduler" / "templates"
INLINE = re.compile(r"<style\b|\sstyle=|<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)


def test_no_scheduler_template_holds_an_inline_style_or_script():
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in sorted(TEMPLATES.rglob("*.html"))
        if INLINE.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
