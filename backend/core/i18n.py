"""Texts stored in the three languages of the system, picked by the active language."""

from __future__ import annotations

import re

from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language, pgettext


def language_key(language: str | None = None) -> str:
    """``en``, ``zh-hant`` or ``pt`` for a Django language code (the active one by default)."""
    language = (language or get_language() or "en").lower()
    if language.startswith("zh"):
        return "zh-hant"
    if language.startswith("pt"):
        return "pt"
    return "en"


def pick(*, en: str, zh_hant: str, pt: str, language: str | None = None) -> str:
    """The text in the active (or given) language, English where that one is empty."""
    text = {"en": en, "zh-hant": zh_hant, "pt": pt}[language_key(language)]
    return text or en


def list_separator() -> str:
    """What goes between the items of a list in the reader's language: ", " in English and
    Portuguese, "、" in Chinese."""
    return pgettext("between the items of a list", ", ")


def bracketed(text: object, remark: object) -> str:
    """A text and a remark on it in brackets, as the reader's language writes them: "Pat Police
    (B00006)", "陳大文（B00006）"."""
    return pgettext("a text and a remark on it in brackets", "%(text)s (%(remark)s)") % {
        "text": text,
        "remark": remark,
    }


def label_separator() -> str:
    """What goes between a label and its value: ": " in English, "：" in Chinese."""
    return pgettext("between a label and its value", ": ")


def sentence_separator() -> str:
    """What goes between two sentences: a space in English and Portuguese, nothing in Chinese
    ("…留空該行。梯次代號…", never "。 梯")."""
    return "" if language_key() == "zh-hant" else " "


# Han characters, CJK punctuation and full-width forms.
_CJK = "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
_SPACE_BETWEEN_CJK = re.compile(f"(?<={_CJK}) (?={_CJK})")


def cjk_tight(text: str) -> str:
    """In Chinese, ``text`` without a space between two Chinese characters. A translation leaves
    a space beside a name filled in ("%(name)s 的計劃") for a Latin name ("Night 2 的計劃"), which
    a Chinese name must not keep ("兩晚聯合行動 的計劃"). Safe text stays safe."""
    if language_key() != "zh-hant":
        return text
    tight = _SPACE_BETWEEN_CJK.sub("", str(text))
    return mark_safe(tight) if isinstance(text, SafeData) else tight  # noqa: S308 (was safe)
