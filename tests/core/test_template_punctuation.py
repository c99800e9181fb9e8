"""Chinese takes full-width punctuation where a template puts texts together: a label and its
value ("狀態：已套用"), the items of a list ("A、B"). A half-width ": " or ", " typed into a
template after a translated label shows in Chinese as "狀態: 已套用"; the templates use the tags
of ``backend.core.templatetags.punctuation`` (or the planner's ``plan_times``) instead. Brackets
around a translated text ("（建築工地非法工作巡查）") are part of its msgid, never typed around it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    p
    for folder in ("backend", "scheduler", "mobile_api")
    for p in (ROOT / folder).rglob("*.html")
    if "/templates/" in p.as_posix()
)
# A translated label, or a translated block, followed by a half-width colon typed in the template.
LABEL_THEN_COLON = re.compile(
    r"(?:{%\s*(?:end)?(?:translate|trans|blocktranslate|endblocktranslate)[^%]*%}):"
)
# A value, or a bold or emphasised one, followed by a half-width colon typed in the template, then a
# space: "{{ where }}: {{ message }}" shows in Chinese as "第 3 行: …" (found in a registry import's
# page, which the check above missed).
VALUE_THEN_COLON = re.compile(r"(?:}}|</(?:strong|b|em|span)>): ")
TRANSLATED_BLOCK = re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S)
# Half-width brackets typed around a translated text: "({% translate … %})" shows in Chinese as
# "(建築工地非法工作巡查)"; the brackets belong in the msgid ("(%(checklist)s)"), which Chinese
# translates with "（…）".
BRACKETS_AROUND = re.compile(
    r"\(\s*{%\s*(?:translate|trans|blocktranslate|blocktrans)\b"
    r"|{%\s*(?:endblocktranslate|endblocktrans)\s*%}\s*\)"
    r"|{%\s*(?:translate|trans)\s[^%]*%}\s*\)"
)
# Two translated sentences joined by a space typed in the template: Chinese sets none between
# sentences ("…留空該行。 梯次代號…" on the operation's form, a helper's walk); {% sentence_sep %}.
SENTENCES_SPACED = re.compile(r"%} {%\s*(?:translate|trans|blocktranslate|blocktrans)\b")
# A list joined with a half-width comma typed in the template.
JOINED = re.compile(r"""\|join:["'], ["']""")
# Joins of codes that are the same in every language (CSV column names).
CODES_ONLY = {"backend/outreach/templates/admin/outreach/import.html"}


def test_the_templates_are_found():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_template_types_half_width_punctuation_beside_translated_text(path):
    text = path.read_text(encoding="utf-8")
    relative = path.relative_to(ROOT).as_posix()
    assert not LABEL_THEN_COLON.search(text), f"{relative}: use {{% colon %}} after a translated label"
    # Inside a translated block the colon is the msgid's, which each language translates.
    outside = TRANSLATED_BLOCK.sub("", text)
    assert not VALUE_THEN_COLON.search(outside), f"{relative}: use {{% colon %}} after a value"
    assert not BRACKETS_AROUND.search(text), f"{relative}: put the brackets in the msgid, not around it"
    assert not SENTENCES_SPACED.search(text), (
        f"{relative}: join translated sentences with {{% sentence_sep %}}"
    )
    if relative not in CODES_ONLY:
        assert not JOINED.search(text), (
            f'{relative}: join with {{% list_sep as sep %}} and |join:sep, not ", "'
        )


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hant", "狀態：已套用｜A、B"), ("en", "Status: applied｜A, B"), ("pt", "Estado: applied｜A, B")],
)
def test_the_tags_give_the_readers_punctuation(language, expected):
    template = Template(
        "{% load i18n punctuation %}{% translate 'Status' %}{% colon %}{{ status }}"
        "｜{% list_sep as sep %}{{ items|join:sep }}"
    )
    with translation.override(language):
        status = {"zh-hant": "已套用"}.get(language, "applied")
        assert template.render(Context({"status": status, "items": ["A", "B"]})) == expected


@pytest.mark.parametrize(("language", "joined"), [("en", "A. B."), ("pt", "A. B."), ("zh-hant", "甲。乙。")])
def test_sentences_are_joined_as_the_language_writes_them(language, joined):
    first, second = ("甲。", "乙。") if language == "zh-hant" else ("A.", "B.")
    template = Template("{% load punctuation %}{{ first }}{% sentence_sep %}{{ second }}")
    with translation.override(language):
        assert template.render(Context({"first": first, "second": second})) == joined
