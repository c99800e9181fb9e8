"""Texts stored in the three languages of the system, picked by the active language."""

from __future__ import annotations

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
