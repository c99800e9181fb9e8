"""Times of a plan over several nights or days: with their date when not on the plan's first day."""

from __future__ import annotations

from typing import Any

from django import template

from scheduler.pages.workspace import plan_when

register = template.Library()


@register.filter
def plan_time(moment: Any, first_day: Any) -> str:
    """``{{ s.start|plan_time:ws.first_day }}``: "9 p.m." on the first day, "Sat 7 Dec 9 p.m." after."""
    return plan_when(moment, first_day)
