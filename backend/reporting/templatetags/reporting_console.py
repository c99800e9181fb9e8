"""Figures on the analysts' pages: numbers grouped in the active language's way, a suppressed
count shown as suppressed (never as zero), a per-year figure as its years."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure(value: Any) -> SafeString | str:
    if value is None:
        return format_html(
            '<span class="suppressed">—<span class="visually-hidden"> {}</span></span>', _("suppressed")
        )
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


@register.filter
def report_value(value: Any) -> SafeString | str:
    """A report figure's value: a number, (year, number) pairs, names, or nothing."""
    if isinstance(value, list):
        if value and isinstance(value[0], tuple):
            return format_html(
                '<ul class="per-year">{}</ul>',
                format_html_join("", "<li><span>{}</span> {}</li>", ((year, figure(n)) for year, n in value)),
            )
        if not value:
            return "—"
        return format_html(
            '<ul class="names">{}</ul>', format_html_join("", "<li>{}</li>", ((n,) for n in value))
        )
    if isinstance(value, dict):
        return format_html(
            "{} → {}", report_value(value.get("published")), report_value(value.get("current"))
        )
    return figure(value)
