"""A referral's page says why the referral exists. A referral made from a venue checklist (an
apparent minor found working in a venue) read "Indicators present —", "Interview language —",
"Age band: unknown" and nowhere "apparent minor": a newcomer could not tell why the person was
referred, nor why it was immediate (found on a newcomer's walk). The page now names the finding
that raised it (its title in the reader's language, its violation code, the checklist and entry it
came from), what that checklist recorded for the person (coded answers only: never the person's
reference or a note, which are protected), why it is immediate when it is, and "not asked in this
checklist" where the checklist asks no such question; in the three languages."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from backend.checklists.models import TemplateVersion
from backend.checklists.services import parsed_definition
from backend.compliance.models import Referral
from backend.inspections import services as inspections
from tests import factories
from tests.checklists.engine.factories import fill
from tests.compliance.conftest import ingest
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

TITLE = {
    "en": "Apparent minor found: potential victim — refer for assessment",
    "zh-hant": "發現疑似未成年人：潛在受害人－轉介評估",
    "pt": "Aparente menor encontrado: potencial vítima — encaminhar para avaliação",
}
# What the venue checklist recorded for the person, as its questions and answers read.
SIGNS = {
    "en": ["Appears to be under 18: yes", "Says they owe a debt to the venue or an intermediary: yes"],
    "zh-hant": ["看似未滿18歲：是", "表示欠場所或中間人債務：是"],
    "pt": [
        "Aparenta ter menos de 18 anos: sim",
        "Diz dever dinheiro ao estabelecimento ou a um intermediário: sim",
    ],
}
CHECKLIST = {
    "en": "Venue inspection – prostitution and trafficking · Person found 1",
    "zh-hant": "場所巡查－賣淫及販賣人口 · 在場人士 1",
    "pt": "Inspecção de estabelecimentos – prostituição e tráfico de pessoas · Pessoa encontrada 1",
}


@pytest.fixture
def minor_referral(joint, alice) -> Referral:
    """Alice's venue checklist at a karaoke: one person who appears to be under 18 and says she
    owes the venue a debt (the police's critical V-13, a potential victim: an immediate referral)."""
    version = TemplateVersion.objects.get(template__code="venue_prostitution_trafficking", status="published")
    now = timezone.now()
    inspection = inspections.inspection_issue(
        actor=None,
        site=factories.site("venue", name_en="Golden Lotus Karaoke"),
        category="prostitution_trafficking",
        template_version=version,
        planned_start=now - dt.timedelta(minutes=30),
        planned_end=now + dt.timedelta(hours=2),
        team=inspections.team_create(actor=None, name="Venue 1", members=[alice], leader=alice),
    )
    answers = fill(parsed_definition(version), yes=False, entries=1)
    answers.update({"licence_shown": True})
    answers["persons"][0].update(
        {
            "person_ref": "V-1 green dress",
            "apparent_minor": True,
            "holds_own_documents": True,
            "owes_debt": True,
            "free_to_leave": True,
        }
    )
    ingest(alice, inspection, version, answers)
    return Referral.objects.get(site=inspection.site)


def facts(page: str) -> dict[str, str]:
    """The referral's facts, each term with its description's text (tags dropped)."""
    block = page.split('<dl class="facts card">')[1].split("</dl>")[0]
    return {
        re.sub(r"<[^>]+>", "", dt_).strip(): re.sub(
            r"\s+", " ", re.sub(r"<[^>]+>", "", re.sub(r"</li>|<br>", " ", dd))
        ).strip()
        for dt_, dd in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, re.S)
    }


def words(language: str, *texts: str) -> list[str]:
    with translation.override(language):
        return [gettext(t) for t in texts]


@pytest.mark.parametrize("language", ["en", "pt", "zh-hant"])
def test_a_venue_checklists_referral_says_what_raised_it_and_why_it_is_immediate(
    minor_referral, vera, client, language
):
    assert minor_referral.urgency == Referral.Urgency.IMMEDIATE
    signed_in(client, vera)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = unescape(client.get(f"/protection/{minor_referral.uuid}/").content.decode())
    shown = facts(page)
    raised, why, recorded, not_asked, language_term, indicators, age = words(
        language,
        "Raised by",
        "Why immediate",
        "Also recorded for this person",
        "not asked in this checklist",
        "Interview language",
        "Indicators present",
        "Age band",
    )
    if language != "en":  # told in the reader's language
        assert raised != "Raised by" and why != "Why immediate" and not_asked != "not asked in this checklist"
    assert shown[raised] == f"{TITLE[language]} V-13 {CHECKLIST[language]}", shown[raised]
    assert shown[why] == words(language, "The person appears to be under 18.")[0], shown[why]
    for sign in SIGNS[language]:
        assert sign in shown[recorded], shown[recorded]
    # The questions this checklist does not ask are said not to be asked, not left blank.
    assert shown[language_term] == shown[indicators] == shown[age] == not_asked
    # Nothing identifying: the person's reference (as typed, or coded) and notes are protected.
    assert "V-1 green dress" not in page and "SP-" not in shown[recorded] and "[protected]" not in page


def test_an_ilo_screenings_referral_says_why_it_is_immediate(referral, vera, client):
    """The ILO screening of a person under 16 who answered every indicator: a minor, restriction of
    movement and violence. Its indicators and age band stay in their own rows, not repeated."""
    signed_in(client, vera)
    page = unescape(client.get(f"/protection/{referral.uuid}/").content.decode())
    shown = facts(page)
    assert shown["Raised by"].startswith("Potential victim — refer for assessment V-13 ")
    assert shown["Why immediate"] == (
        "The person is under 18 (the age recorded). Restriction of movement (FL-03)."
        " Physical or sexual violence (FL-05)."
    )
    assert shown["Also recorded for this person"] == "The person agreed to answer: yes"
    assert shown["Age band"] == "under 16" and "not asked" not in page


def test_a_same_day_referral_says_no_reason_to_be_immediate(joint, alice, vera, client):
    flags = {f"fl_{i:02d}": False for i in range(1, 12)}
    joint.submit_screening(alice, age_band="26_40", **{**flags, "fl_07": True})
    referral = Referral.objects.get()
    assert referral.urgency == Referral.Urgency.SAME_DAY
    signed_in(client, vera)
    shown = facts(unescape(client.get(f"/protection/{referral.uuid}/").content.decode()))
    assert "Why immediate" not in shown and "Raised by" in shown
