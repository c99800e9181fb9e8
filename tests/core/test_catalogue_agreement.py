"""The project's catalogues agree: Django merges them into one per language (LOCALE_PATHS first,
then the apps in INSTALLED_APPS order), so a text translated two ways in two catalogues shows one
of them everywhere. A word meaning two things takes a context in one of its places; a word
meaning one thing says it the same way in every catalogue."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

ROOT = Path(__file__).resolve().parents[2]


def _disagreements() -> dict[tuple[str, str | None, str], dict[str, str]]:
    seen: dict[tuple[str, str | None, str], dict[str, str]] = defaultdict(dict)
    for lang in ("zh_Hant", "pt"):
        for path in ROOT.glob(f"**/locale/{lang}/LC_MESSAGES/django.po"):
            if ".venv" in path.parts:
                continue
            owner = str(path.relative_to(ROOT)).split("/locale/")[0]
            for entry in polib.pofile(str(path)):
                if entry.obsolete or "fuzzy" in entry.flags:
                    continue
                text = entry.msgstr or " | ".join(v for _, v in sorted(entry.msgstr_plural.items()))
                if text.strip(" |"):
                    seen[(lang, entry.msgctxt, entry.msgid)][owner] = text
    return {key: where for key, where in seen.items() if len(set(where.values())) > 1}


def test_no_text_is_translated_two_ways():
    found = _disagreements()
    assert not found, "\n".join(f"{key}: {where}" for key, where in sorted(found.items(), key=str))


@pytest.mark.parametrize(
    ("language", "report", "plan"), [("zh-hant", "數據", "數字"), ("pt", "Indicador", "Número")]
)
def test_a_reports_figure_and_a_plans_key_figure(language, report, plan):
    with translation.override(language):
        assert gettext("Figure") == report
        assert pgettext("a plan's key figures", "Figure") == plan


@pytest.mark.parametrize(
    ("language", "verb", "noun"), [("zh-hant", "匯入", "匯入"), ("pt", "Importar", "Importação")]
)
def test_import_the_button_and_an_import_the_page(language, verb, noun):
    with translation.override(language):
        assert gettext("Import") == verb
        assert pgettext("registry import", "Import") == noun
