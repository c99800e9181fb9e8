"""Every user-facing text is available in Traditional Chinese and Portuguese.

The catalogues are backend/locale/<lang>/LC_MESSAGES/django.po (LOCALE_PATHS[0]); the compiled
.mo files next to them are committed, so a machine without gettext shows the translations too.
After ``makemessages``: translate every new entry, remove ``#, fuzzy``, then ``compilemessages``.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.exceptions import NotAuthenticated

from backend.core.errors import InvalidInput, NotFound
from backend.inspections.models import Inspection

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PLURAL_FORMS = {"zh_Hant": "nplurals=1; plural=0;", "pt": "nplurals=2; plural=(n != 1);"}
LANGUAGES = sorted(PLURAL_FORMS)


# --- A small .po reader (the standard library has none) -----------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # 0 for a singular entry
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid!r}" + (f" (context {self.msgctxt!r})" if self.msgctxt else "")


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def _unquote(token: str) -> str:
    # A PO string is a C string literal; its escapes (\n \t \" \\) read the same in Python.
    return ast.literal_eval(token)


def read_po(path: Path) -> tuple[Entry, list[Entry]]:
    """The header entry and the live entries (obsolete ``#~`` entries are skipped)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    pending_flags: set[str] = set()

    def finish() -> None:
        nonlocal current, target
        if current is not None:
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            finish()
            pending_flags = set()  # flags of an obsolete entry belong to no live one
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                if current is not None and target is not None and target[0] == "msgstr":
                    finish()
                pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            elif current is not None and target is not None and target[0] == "msgstr":
                finish()  # a comment after a msgstr starts the next entry
            continue
        if line.startswith('"'):
            assert current is not None and target is not None, f"{path}:{number}: stray string"
            kind, index = target
            value = _unquote(line)
            if kind == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, kind, getattr(current, kind) + value)
            continue
        match = _KEYWORD.match(line)
        assert match, f"{path}:{number}: cannot read {raw!r}"
        keyword, index, token = match.group(1), match.group(2), match.group(3)
        value = _unquote(token)
        if (
            keyword in ("msgctxt", "msgid")
            and current is not None
            and target is not None
            and target[0] == "msgstr"
        ):
            finish()  # no blank line between entries
        if current is None:
            current = Entry(flags=pending_flags, line=number)
            pending_flags = set()
        if keyword.startswith("msgstr"):
            slot = int(index) if index is not None else 0
            current.msgstr[slot] = value
            target = ("msgstr", slot)
        else:
            setattr(current, keyword, value)
            target = (keyword, 0)
    finish()

    headers = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    assert len(headers) == 1, f"{path}: expected one header entry"
    return headers[0], [e for e in entries if e is not headers[0]]


def _header_fields(header: Entry) -> dict[str, str]:
    fields = {}
    for line in header.msgstr[0].splitlines():
        name, _sep, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def _po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|</?[a-zA-Z][^>]*>")


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


# --- (a) the catalogues are complete ------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_header(lang):
    header, entries = read_po(_po_path(lang))
    fields = _header_fields(header)
    assert "fuzzy" not in header.flags, "remove '#, fuzzy' from the header entry"
    assert fields.get("Language") == lang
    assert "charset=UTF-8" in fields.get("Content-Type", "")
    assert fields.get("Plural-Forms") == PLURAL_FORMS[lang]
    assert len(entries) > 100  # sanity: the reader read the file


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(lang):
    _header, entries = read_po(_po_path(lang))
    nplurals = int(re.search(r"nplurals=(\d+)", PLURAL_FORMS[lang]).group(1))
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.label}")
        wanted = range(nplurals) if entry.msgid_plural is not None else range(1)
        if sorted(entry.msgstr) != list(wanted):
            problems.append(f"plural forms {sorted(entry.msgstr)}, want {list(wanted)}: {entry.label}")
        if any(not entry.msgstr.get(i, "").strip() for i in wanted):
            problems.append(f"untranslated: {entry.label}")
    assert not problems, f"{_po_path(lang)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_placeholders_and_tags(lang):
    _header, entries = read_po(_po_path(lang))
    problems = []
    for entry in entries:
        for index, text in entry.msgstr.items():
            source = entry.msgid if (entry.msgid_plural is None or index == 0) else entry.msgid_plural
            # A language with one plural form uses the plural's placeholders (%(count)d).
            if entry.msgid_plural is not None and len(entry.msgstr) == 1:
                source = entry.msgid_plural
            if _placeholders(text) != _placeholders(source):
                problems.append(f"{entry.label} [{index}]: {text!r}")
    assert not problems, "\n".join(problems)


# --- (b) the committed .mo matches the .po -------------------------------------------------------


class _Missing:
    """Fallback of the .mo under test: notes every message the .mo itself does not hold."""

    def __init__(self) -> None:
        self.missing: list[str] = []

    def gettext(self, message: str) -> str:
        self.missing.append(message)
        return message

    def pgettext(self, context: str, message: str) -> str:
        self.missing.append(f"{context}|{message}")
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        self.missing.append(singular)
        return singular if n == 1 else plural

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        self.missing.append(f"{context}|{singular}")
        return singular if n == 1 else plural


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_the_po(lang):
    po_path = _po_path(lang)
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.is_file(), f"{mo_path} is missing: run `manage.py compilemessages --ignore=.venv`"
    with mo_path.open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    fallback = _Missing()
    mo.add_fallback(fallback)
    assert mo.info().get("plural-forms") == PLURAL_FORMS[lang]

    _header, entries = read_po(po_path)
    stale = []
    for entry in entries:
        if entry.msgid_plural is None:
            got = (
                mo.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt is not None
                else mo.gettext(entry.msgid)
            )
            if got != entry.msgstr[0]:
                stale.append(f"{entry.label}: .mo has {got!r}")
            continue
        for index, text in entry.msgstr.items():
            n = 1 if index == 0 else 2  # the sample count that selects this form (both languages)
            if entry.msgctxt is not None:
                got = mo.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
            else:
                got = mo.ngettext(entry.msgid, entry.msgid_plural, n)
            if got != text:
                stale.append(f"{entry.label} [{index}]: .mo has {got!r}")
    assert not fallback.missing and not stale, (
        f"{mo_path} is older than {po_path.name}: run `manage.py compilemessages --ignore=.venv`\n"
        + "\n".join([f"not in .mo: {m!r}" for m in fallback.missing] + stale)
    )


# --- (c) Django finds the translations ---------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh-hant",
            {
                "inspection": "巡查",
                "inspections": "巡查",
                "in_progress": "進行中",
                "not_found": "找不到。",
                "invalid": "輸入的資料無效。",
                "revoked_1": "已撤銷 1 部裝置。",
                "revoked_3": "已撤銷 3 部裝置。",
            },
        ),
        (
            "pt",
            {
                "inspection": "inspecção",
                "inspections": "inspecções",
                "in_progress": "em curso",
                "not_found": "Não encontrado.",
                "invalid": "Os dados introduzidos não são válidos.",
                "revoked_1": "1 dispositivo revogado.",
                "revoked_3": "3 dispositivos revogados.",
            },
        ),
    ],
)
def test_strings_from_the_code_come_out_translated(language, expected):
    with translation.override(language):
        got = {
            "inspection": str(Inspection._meta.verbose_name),
            "inspections": str(Inspection._meta.verbose_name_plural),
            "in_progress": str(Inspection.Status.IN_PROGRESS.label),
            "not_found": str(NotFound.title),
            "invalid": str(InvalidInput.title),
            "revoked_1": translation.ngettext("%(count)d device revoked.", "%(count)d devices revoked.", 1)
            % {"count": 1},
            "revoked_3": translation.ngettext("%(count)d device revoked.", "%(count)d devices revoked.", 3)
            % {"count": 3},
        }
    assert got == expected


# --- (d) the API answers in the language asked for ---------------------------------------------


def test_problem_title_follows_accept_language(client):
    response = client.get("/api/v1/sites/", HTTP_ACCEPT_LANGUAGE="pt")
    assert response.status_code in (401, 403)
    assert response["Content-Language"] == "pt"
    body = response.json()
    assert body["code"] == "not_authenticated"
    with translation.override("en"):
        english = str(NotAuthenticated.default_detail)
    with translation.override("pt"):
        portuguese = str(NotAuthenticated.default_detail)  # DRF ships pt
    assert portuguese != english
    assert body["title"] == portuguese == "As credenciais de autenticação não foram fornecidas."


@pytest.mark.parametrize(("language", "title"), [("pt", "Não encontrado."), ("zh-hant", "找不到。")])
def test_unknown_api_url_answers_in_the_language_asked_for(client, language, title):
    response = client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert body["title"] == title


# One word for one thing in Chinese, in every catalogue and every built-in checklist: the field
# app had said 相片 and 報到 where the checklists beside them said 照片 and 簽到; a referral's page
# said its reads were kept in the 審計日誌 above a note that they were in the 審計紀錄 (the audit
# log's name in the menu and the admin). A plan's objective is its cost (成本): 目標值 read like
# 目標, the operation's targets, on the same page.
CHINESE_TERMS = {"相片": "照片", "報到": "簽到", "審計日誌": "審計紀錄", "目標值": "成本"}


def test_chinese_uses_one_word_for_photo_and_for_check_in():
    root = Path(settings.BASE_DIR)
    places = [
        *root.glob("*/**/locale/zh_Hant/LC_MESSAGES/django.po"),
        *root.glob("backend/checklists/builtin/*.json"),
    ]
    places = [p for p in places if ".venv" not in p.parts]
    assert len(places) > 5, places
    found = [
        f"{path.relative_to(root)}: {other} (say {word})"
        for path in places
        for other, word in CHINESE_TERMS.items()
        if other in path.read_text(encoding="utf-8")
    ]
    assert not found, found


def test_a_filter_left_open_says_bu_xian_in_chinese():
    """A filter's empty choice ("Any") read 任何 ("any one of them", as in a question) on the
    dashboard and the compliance lists, and 不限 on the breakdown's years: 不限 everywhere."""
    root = Path(settings.BASE_DIR)
    said = {}
    for path in root.glob("*/**/locale/zh_Hant/LC_MESSAGES/django.po"):
        if ".venv" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for found in re.finditer(r'(?:^msgctxt "[^"]*"\n)?^msgid "Any"\nmsgstr "([^"]*)"', text, re.M):
            said[str(path.relative_to(root))] = found[1]
    assert len(said) >= 2 and set(said.values()) == {"不限"}, said


def test_a_kept_signature_is_described_not_asked_for_in_chinese():
    """'已保留簽名：在簽名板上書寫' read as an instruction ("write on the pad") under a signature
    already kept (the field officer's walk): it says how it was made, as the typed one does."""
    with translation.override("zh-hant"):
        drawn = translation.gettext("Signature kept, drawn on the pad")
        typed = translation.gettext("Signature kept, typed with the keyboard")
    assert drawn == "已保留簽名：於簽名板上手寫"
    assert typed == "已保留簽名：以鍵盤輸入"
