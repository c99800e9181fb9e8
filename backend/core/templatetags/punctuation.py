"""Punctuation a template puts between texts, in the reader's language: Chinese takes full-width
marks ("准照：1234", "PSP、DSAL"), English and Portuguese half-width ones with a space."""

from __future__ import annotations

from django import template

from backend.core.i18n import cjk_tight, label_separator, list_separator, sentence_separator

register = template.Library()


@register.simple_tag
def colon() -> str:
    """``{% translate "Key" %}{% colon %}{{ key }}``: ": " in English, "：" in Chinese."""
    return label_separator()


@register.simple_tag
def list_sep() -> str:
    """Between the items of a list: ", " in English, "、" in Chinese."""
    return list_separator()


@register.simple_tag
def sentence_sep() -> str:
    """Between two translated sentences: a space in English, nothing in Chinese."""
    return sentence_separator()


@register.filter
def tight(text: str) -> str:
    """``{{ title|tight }}``: in Chinese, no space between two Chinese characters (a translation's
    space beside a name filled in, kept for a Latin name, dropped for a Chinese one)."""
    return cjk_tight(text)
