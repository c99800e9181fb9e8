"""Portuguese is spelt as Macao's government spells it: the pre-1990 spelling ("Direcção dos
Serviços para os Assuntos Laborais", "inspecção", "acção", "protecção"), which the agencies'
own names keep. The 1990 Agreement's spelling ("inspeção") had crept into the apps' catalogues,
so one screen said "inspecção" and the next "inspeção"; every Portuguese catalogue of the
project is checked here against a list of word pairs.

A pair's first word is the 1990-only form, its second the form Macao uses. Most are the start
of a word (``inspeç`` catches inspeção and inspeções); a few are whole words only, where the
start alone would catch a word spelt alike in both ("corretor", a broker, has no silent c).
Words both spellings share ("contacto", "facto", "secção") are not listed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]

# (1990-only start of a word, Macao's start of the same word)
STARTS = [
    ("ativ", "activ"),
    ("inativ", "inactiv"),
    ("desativ", "desactiv"),
    ("reativ", "reactiv"),
    ("interativ", "interactiv"),
    ("retroativ", "retroactiv"),
    ("atual", "actual"),
    ("atuaç", "actuaç"),
    ("efet", "efect"),
    ("afet", "afect"),
    ("inspeç", "inspecç"),
    ("inspet", "inspect"),
    ("inspecion", "inspeccion"),
    ("proteç", "protecç"),
    ("protet", "protect"),
    ("direç", "direcç"),
    ("diret", "direct"),
    ("direcion", "direccion"),
    ("seleç", "selecç"),
    ("selecion", "seleccion"),
    ("seletiv", "selectiv"),
    ("coleç", "colecç"),
    ("colecion", "coleccion"),
    ("coletiv", "colectiv"),
    ("objet", "object"),
    ("objeç", "objecç"),
    ("ótim", "óptim"),
    ("otimiz", "optimiz"),
    ("ótic", "óptic"),
    ("exat", "exact"),
    ("inexat", "inexact"),
    ("receç", "recepç"),
    ("rececion", "recepcion"),
    ("recet", "recept"),
    ("adoç", "adopç"),
    ("adot", "adopt"),
    ("batism", "baptism"),
    ("batiz", "baptiz"),
    ("correç", "correcç"),
    ("corretament", "correctament"),
    ("detet", "detect"),
    ("deteç", "detecç"),
    ("projet", "project"),
    ("projeç", "projecç"),
    ("arquitet", "arquitect"),
    ("eletr", "electr"),
    ("elétr", "eléctr"),
    ("setor", "sector"),
    ("exceç", "excepç"),
    ("exceto", "excepto"),
    ("excecion", "excepcion"),
    ("conceç", "concepç"),
    ("perceç", "percepç"),
    ("aspet", "aspect"),
    ("respetiv", "respectiv"),
    ("infraç", "infracç"),
    ("infrat", "infract"),
    ("fator", "factor"),
    ("fatur", "factur"),
    ("notur", "noctur"),
    ("trajet", "traject"),
    ("espetácul", "espectácul"),
    ("redaç", "redacç"),
    ("reflet", "reflect"),
    ("letiv", "lectiv"),
    ("injeç", "injecç"),
    ("reaç", "reacç"),
    ("interaç", "interacç"),
    ("transaç", "transacç"),
    ("fraç", "fracç"),
    ("extraç", "extracç"),
    ("acion", "accion"),
    ("rutura", "ruptura"),
    ("perentóri", "peremptóri"),
]
# (1990-only word, Macao's word), matched whole
WORDS = [
    ("ação", "acção"),
    ("ações", "acções"),
    ("coação", "coacção"),
    ("coações", "coacções"),
    ("atuar", "actuar"),
    ("atuou", "actuou"),
    ("caráter", "carácter"),
    ("correto", "correcto"),
    ("correta", "correcta"),
    ("corretos", "correctos"),
    ("corretas", "correctas"),
    ("incorreto", "incorrecto"),
    ("incorreta", "incorrecta"),
    ("incorretos", "incorrectos"),
    ("incorretas", "incorrectas"),
]

_SPELT_1990 = re.compile(
    r"\b(?:(?:" + "|".join(re.escape(a) for a, _ in STARTS) + r")\w*"
    r"|(?:" + "|".join(re.escape(a) for a, _ in WORDS) + r")\b)",
    re.IGNORECASE,
)


def _macao_spelling(word: str) -> str:
    lower = word.lower()
    for spelt_1990, macao in WORDS:
        if lower == spelt_1990:
            return macao
    start = max((pair for pair in STARTS if lower.startswith(pair[0])), key=lambda p: len(p[0]))
    return start[1] + lower[len(start[0]) :]


def spelt_1990(text: str) -> list[str]:
    """The words of ``text`` spelt only as the 1990 Agreement spells them."""
    return _SPELT_1990.findall(text)


def _catalogues() -> list[Path]:
    return sorted(
        path
        for path in ROOT.glob("**/locale/pt/LC_MESSAGES/*.po")
        if ".venv" not in path.parts and "node_modules" not in path.parts
    )


def test_every_portuguese_catalogue_is_checked():
    owners = {str(path.relative_to(ROOT)).split("/locale/")[0] for path in _catalogues()}
    assert {"backend", "backend/compliance", "scheduler", "mobile_api", "mobile_api/field"} <= owners


@pytest.mark.parametrize("path", _catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_keeps_macaos_spelling(path):
    found = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            found += [f"{entry.msgid!r}: {w} -> {_macao_spelling(w)}" for w in spelt_1990(text)]
    assert not found, "\n".join(found)


def test_the_list_tells_each_pair_apart():
    # Each pair differs by a silent consonant only, and the check catches its 1990 word and
    # leaves Macao's alone: a typo in the list would otherwise check nothing.
    for spelt_1990_start, macao in STARTS + WORDS:
        assert len(macao) == len(spelt_1990_start) + 1
        assert spelt_1990(spelt_1990_start), spelt_1990_start
        assert not spelt_1990(macao), macao
    assert spelt_1990("A inspeção verificou as infrações.") == ["inspeção", "infrações"]
    assert not spelt_1990("A inspecção verificou as infracções; o corretor e o contacto.")
    assert not spelt_1990("Informação, situação e operações")


# (1990-only word, Macao's word), matched whole: the Agreement dropped the circumflex of the
# doubled "ee" of these verbs ("eles veem"); Macao's spelling keeps it ("eles vêem").
CIRCUMFLEX = [
    ("veem", "vêem"),
    ("preveem", "prevêem"),
    ("reveem", "revêem"),
    ("leem", "lêem"),
    ("releem", "relêem"),
    ("creem", "crêem"),
    ("deem", "dêem"),
]
_CIRCUMFLEX_DROPPED = re.compile(r"\b(?:" + "|".join(a for a, _ in CIRCUMFLEX) + r")\b", re.IGNORECASE)


@pytest.mark.parametrize("path", _catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_keeps_the_circumflex_of_veem(path):
    found = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            found += [f"{entry.msgid!r}: {w}" for w in _CIRCUMFLEX_DROPPED.findall(text)]
    assert not found, "\n".join(found)


def test_the_circumflex_list_tells_each_pair_apart():
    for spelt_1990, macao in CIRCUMFLEX:
        assert _CIRCUMFLEX_DROPPED.findall(f"eles {spelt_1990} tudo") == [spelt_1990]
        assert not _CIRCUMFLEX_DROPPED.findall(f"eles {macao} tudo")


def _portuguese_values(node: object) -> list[str]:
    """Every text under a "pt" key of a definition read from JSON."""
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "pt" and isinstance(v, str)] + [
            text for v in node.values() for text in _portuguese_values(v)
        ]
    if isinstance(node, list):
        return [text for v in node for text in _portuguese_values(v)]
    return []


def test_checklists_violations_and_notices_keep_macaos_spelling():
    # Texts written in Portuguese outside the catalogues: the built-in checklists, the
    # violation catalogue and the Portuguese notice.
    found = []
    for path in [
        *sorted((ROOT / "backend/checklists/builtin").glob("*.json")),
        ROOT / "backend/compliance/violations.json",
    ]:
        for text in _portuguese_values(json.loads(path.read_text(encoding="utf-8"))):
            found += [f"{path.name}: {w}" for w in spelt_1990(text)]
    for path in sorted(ROOT.glob("backend/**/templates/**/*_pt.html")):
        found += [f"{path.name}: {w}" for w in spelt_1990(path.read_text(encoding="utf-8"))]
    assert not found, "\n".join(found)
