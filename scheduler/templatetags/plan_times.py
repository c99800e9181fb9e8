"""Times of a plan over several nights or days: with their date when not on the plan's own day;
and lists in the reader's language ("a, b" in English and Portuguese, "a、b" in Chinese)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from backend.core.templatetags.punctuation import colon, list_sep
from scheduler.pages.workspace import plan_when
from scheduler.selectors import bracketed as bracketed_text
from scheduler.selectors import labelled as labelled_text
from scheduler.selectors import list_text, plan_date, plan_when_parts
from scheduler.selectors import objective_terms as terms_of

register = template.Library()


@register.filter
def plan_time(moment: Any, own_day: Any) -> str:
    """``{{ s.start|plan_time:ws.first_day }}``: "9 p.m." on the plan's own day, "Sat 7 Dec 9 p.m."
    on another (and on every day when the plan has no day of its own: ``own_day`` None)."""
    return plan_when(moment, own_day)


@register.filter
def plan_time_cell(moment: Any, own_day: Any) -> SafeString:
    """``plan_time`` in a table's cell: its date and its time each kept whole, the cell free to
    break between them, so a narrow table (a plan over several nights, in Portuguese, at 820 px)
    puts the date above the time rather than scroll sideways with the sites squeezed."""
    day, clock = plan_when_parts(moment, own_day)
    if not day:
        return conditional_escape(clock)
    return format_html('<span class="nowrap">{}</span> <span class="nowrap">{}</span>', day, clock)


# The times a table's row may hold, in the order a reader meets them along the row.
_ROW_TIMES = ("arrival", "start", "end")


@register.filter
def dated_once(rows: Iterable[Any], own_day: Any) -> list[dict[str, Any]]:
    """``{% for t in r.stops|dated_once:ws.first_day %}{{ t.row.site }} {{ t.start }}``: a table's
    rows, each with its times ("arrival", "start", "end", those it has) ready for their cells. A
    time's date is shown once, in the first cell of its day (a later night's first row, the first
    time after midnight), not in every cell of the night: "Qua, 9 Dez 22:10" then "22:40", "23:05".
    The cells after it keep the date for a screen reader alone (visually hidden), so a cell read
    by itself still says which night it is on. The plan's own day (``own_day``) goes undated, as
    ``plan_time`` has it; ``own_day`` None dates the first time of every day."""
    shown = own_day
    out = []
    for row in rows:
        item: dict[str, Any] = {"row": row}
        for key in _ROW_TIMES:
            moment = row.get(key) if isinstance(row, dict) else getattr(row, key, None)
            if moment is None:
                continue
            local = timezone.localtime(moment)
            clock = time_format(local, "TIME_FORMAT")
            if own_day is not None and local.date() == own_day:
                item[key] = conditional_escape(clock)
            elif local.date() == shown:
                item[key] = format_html('<span class="visually-hidden">{} </span>{}', plan_date(local), clock)
            else:
                item[key] = format_html(
                    '<span class="nowrap day">{}</span> <span class="nowrap">{}</span>',
                    plan_date(local),
                    clock,
                )
            shown = local.date()
        out.append(item)
    return out


@register.filter
def join_list(items: Iterable[Any]) -> str:
    """``{{ m.languages|join_list }}``: the items joined as the reader's language lists them."""
    return list_text(items)


# The console's punctuation tags (backend.core), so planner templates load one library.
register.simple_tag(list_sep)


@register.simple_tag
def objective_terms(job: Any) -> str:
    """``{% objective_terms job as terms %}``: what the figure ``job`` was chosen by adds up."""
    return terms_of(job)


def _safe(build: Any, *parts: Any) -> SafeString:
    # The parts escaped (markup a template marked safe kept), the language's punctuation around them.
    return mark_safe(build(*(conditional_escape(part) for part in parts)))  # noqa: S308 - each part escaped


@register.simple_tag
def labelled(label: Any, value: Any) -> SafeString:
    """``{% labelled licence s.licence_number %}``: "Licence: 1234", "准照：1234"."""
    return _safe(labelled_text, label, value)


@register.simple_tag
def bracketed(text: Any, remark: Any) -> SafeString:
    """``{% bracketed o.name leader %}``: "Pat Police (leader)", "Pat Police（組長）"."""
    return _safe(bracketed_text, text, remark)


@register.simple_tag
def list_sep_strong() -> str:
    """``{% list_sep_strong %}`` between items that may hold commas themselves (a wave and its
    dated time, "Sáb, 7 Dez 21:00"), or clauses: "; " in English, "；" in Chinese."""
    return pgettext("between the items of a list whose items hold commas", "; ")


register.simple_tag(colon)


@register.simple_tag
def place(name: Any, address: Any) -> SafeString:
    """``{% place b.muster.name b.muster.address %}``: "Comando do CPSP, Rua …" (the name alone
    without an address)."""
    if not address:
        return conditional_escape(name)
    return _safe(
        lambda n, a: (
            pgettext("a place's name and its address", "%(name)s, %(address)s") % {"name": n, "address": a}
        ),
        name,
        address,
    )
