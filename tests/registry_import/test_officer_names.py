"""An officers' file names units, languages and qualifications as a clerk writes them: by code or
by name in any of the three languages ("Esquadra da Taipa", "粵語、英語"), stored as codes; what is
not known is refused with the codes that are, in the reader's words."""

from __future__ import annotations

import pytest
from django.utils import translation

from backend.registry.models import Officer, Skill, Unit
from backend.registry_import.columns import reason_text
from backend.registry_import.models import ImportRow, RegistryImport
from tests import factories
from tests.registry_import.support import apply, upload

pytestmark = pytest.mark.django_db
HEADER = "external_id,agency,unit,badge_number,full_name,languages,skills\n"


@pytest.fixture
def admin_psp(db):
    officer = factories.officer("PSP", username="admin-psp", roles=("administrator",))
    Unit.objects.filter(code="psp-hq").update(name_pt="Comando do CPSP", name_zh_hant="治安警察局總部")
    factories.unit(officer.agency, code="psp-taipa")
    Unit.objects.filter(code="psp-taipa").update(name_en="Taipa Station", name_pt="Esquadra da Taipa")
    for kind, code, en, pt, zh in (
        ("language", "lang-zh-yue", "Cantonese", "Cantonês", "粵語"),
        ("language", "lang-en", "English", "Inglês", "英語"),
        ("qualification", "first-aid", "First aid", "Primeiros socorros", "急救"),
    ):
        Skill.objects.get_or_create(
            code=code, defaults={"kind": kind, "name_en": en, "name_pt": pt, "name_zh_hant": zh}
        )
    return officer


def test_units_and_languages_by_name_in_any_language_are_stored_as_codes(
    django_capture_on_commit_callbacks, admin_psp
):
    # The unit's code was the only way in: "Esquadra da Taipa" was refused with no word of
    # which codes there are, and "粵語、英語" was one unknown language.
    data = (
        HEADER + "P-1,PSP,Esquadra da Taipa,7001,CHAN Tai Man,粵語、英語,急救\n"
        "P-2,PSP, comando do cpsp ,7002,Ana Rosário,Cantonês; lang-en,\n"
        "P-3,PSP,治安警察局總部,7003,WONG Ka Fai,English，Cantonese,first-aid\n"
    ).encode()
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "officers", "o.csv", data)
    assert item.status == RegistryImport.Status.READY, [r.problems for r in item.rows.all()]
    apply(django_capture_on_commit_callbacks, admin_psp.user, item)
    chan = Officer.objects.get(external_id="P-1")
    assert chan.unit.code == "psp-taipa"
    assert set(chan.skills.values_list("code", flat=True)) == {"lang-zh-yue", "lang-en", "first-aid"}
    assert Officer.objects.get(external_id="P-2").unit.code == "psp-hq"
    assert Officer.objects.get(external_id="P-3").unit.code == "psp-hq"
    # The same people written by code are unchanged: names and codes are one value.
    again = (
        HEADER + "P-1,PSP,psp-taipa,7001,CHAN Tai Man,lang-en; lang-zh-yue,first-aid\n"
        "P-2,PSP,psp-hq,7002,Ana Rosário,lang-en; lang-zh-yue,\n"
        "P-3,PSP,psp-hq,7003,WONG Ka Fai,lang-en; lang-zh-yue,first-aid\n"
    ).encode()
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "officers", "again.csv", again)
    assert item.counts["unchanged"] == 3


@pytest.mark.parametrize(
    ("language", "unit_words", "skill_words"),
    [
        ("en", "Its units' codes: psp-hq, psp-taipa.", "No language has the code or name “Klingon”"),
        ("pt", "Os códigos das suas unidades: psp-hq, psp-taipa.", "Nenhuma língua tem o código"),
        ("zh-hant", "其單位代號：psp-hq、psp-taipa。", "的語言。"),
    ],
)
def test_an_unknown_unit_or_language_is_refused_with_the_codes_that_are_known(
    django_capture_on_commit_callbacks, admin_psp, language, unit_words, skill_words
):
    data = (HEADER + "P-1,PSP,Esquadra de Macau,7001,CHAN Tai Man,Klingon,\n").encode()
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "officers", "o.csv", data)
    row = item.rows.get(action=ImportRow.Action.REFUSED)
    problems = {p["column"]: p for p in row.problems}
    with translation.override(language):
        unit = reason_text(problems["unit"]["code"], problems["unit"]["params"])
        skill = reason_text(problems["languages"]["code"], problems["languages"]["params"])
    assert "Esquadra de Macau" in unit and unit_words in unit
    # The kind of skill is named in the reader's language, not the worker's ("language" among Chinese).
    codes = (
        "lang-en、lang-zh-yue" if language == "zh-hant" else "lang-en, lang-zh-yue"
    )  # listed as the reader lists
    assert skill_words in skill and codes in skill


def test_a_badge_taken_names_the_officer_who_holds_it(django_capture_on_commit_callbacks, admin_psp):
    # Found on a walk in Chinese: "badge 4513 belongs to another officer of the agency", whom?
    first = (HEADER + "P-1,PSP,psp-hq,7001,CHAN Tai Man,,\nP-2,PSP,psp-hq,7002,LEONG Mei Ling,,\n").encode()
    apply(
        django_capture_on_commit_callbacks,
        admin_psp.user,
        upload(django_capture_on_commit_callbacks, admin_psp.user, "officers", "o.csv", first),
    )
    typo = (HEADER + "P-1,PSP,psp-hq,7002,CHAN Tai Man,,\n").encode()
    item = upload(django_capture_on_commit_callbacks, admin_psp.user, "officers", "typo.csv", typo)
    (problem,) = item.rows.get().problems
    with translation.override("zh-hant"):
        text = reason_text(problem["code"], problem["params"])
    assert text == "職員編號 7002 屬於本部門另一名人員：LEONG Mei Ling（P-2）。"
