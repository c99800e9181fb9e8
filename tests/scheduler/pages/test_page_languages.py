"""Every planner page speaks the reader's language: rendered in Traditional Chinese and in
Portuguese, no English interface text is left (any text of the project's catalogues seen on the
English rendering must be gone from the translated one), the scheduler's catalogue has every
entry translated, and dates come in the language's own format."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import formats, timezone, translation

from backend.planning.services import due_work_request
from scheduler.models import PlanningJob, Programme
from tests.scheduler.conftest import EVENING

DAY = EVENING.date()

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
LANGUAGES = {"zh-hant": "zh_Hant", "pt": "pt"}
# Attributes whose values are read out or shown (tooltips, labels, confirmations, announcements).
SPOKEN = {"aria-label", "title", "placeholder", "alt", "data-confirm", "data-announce"}


class _Text(HTMLParser):
    """The page's text as a reader meets it: text nodes outside <script>/<style>, and the
    attributes that are read out or shown."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in SPOKEN and value:
                self.parts.append(value)
            elif name == "data-plan" and value:  # the script's data: the texts it shows
                self.parts.extend(json.loads(value)["texts"].values())

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def _text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def _catalogues(language: str) -> dict[str, str]:
    """msgid → msgstr of every catalogue of the project (the project's and the apps')."""
    table: dict[str, str] = {}
    for path in ROOT.glob(f"**/locale/{LANGUAGES[language]}/LC_MESSAGES/django.po"):
        if ".venv" in path.parts:
            continue
        for entry in polib.pofile(str(path)):
            if not entry.obsolete and entry.msgstr and "fuzzy" not in entry.flags:
                table.setdefault(entry.msgid, entry.msgstr)
    return table


def _pattern(msgid: str) -> re.Pattern[str] | None:
    """A msgid as a whole-words pattern, its placeholders matching anything; None for texts too
    short or too bare to tell an interface string from data (a code, a symbol)."""
    pieces = re.split(r"%\([a-z_]+\)[sd]|%[sd]", msgid)
    words = re.findall(r"[A-Za-z]{3,}", " ".join(pieces))
    if not words or (len(words) == 1 and len(msgid) < 5):
        return None
    body = ".+?".join(re.escape(p) for p in pieces)
    return re.compile(r"(?<![A-Za-z])" + body + r"(?![A-Za-z])")


@pytest.fixture
def pages(planner_client, operation, paula, city):
    """Every planner page, with a plan, a programme and due work to show."""
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 2, "seed": 1}
    )
    job = PlanningJob.objects.get(operation=operation)
    assert job.status == PlanningJob.Status.SUCCEEDED, job.error
    pat, pete = city["psp"]
    planner_client.post(
        "/planning/programmes/new/",
        {
            "name": "Night round",
            "start_date": DAY.isoformat(),
            "end_date": DAY.isoformat(),
            "officers": [pat.pk, pete.pk],
            "work_in_pairs": "on",
        },
    )
    programme = Programme.objects.get(name="Night round")
    due_work_request(
        actor=paula.user,
        site=city["venues"][0],
        agency=paula.agency,
        category="prostitution_trafficking",
        reason="manual",
        earliest=DAY,
        latest=DAY + dt.timedelta(days=2),
    )
    op = operation.uuid
    return [
        "/planning/",
        "/planning/operations/new/",
        f"/planning/operations/{op}/",
        f"/planning/operations/{op}/edit/",
        f"/planning/operations/{op}/plan/",
        f"/planning/operations/{op}/plan/briefings/1/",
        "/planning/programmes/",
        "/planning/programmes/new/",
        f"/planning/programmes/{programme.uuid}/",
        f"/planning/programmes/{programme.uuid}/plan/",
        "/planning/due-work/",
        "/planning/due-work/?status=all",
    ]


@pytest.mark.parametrize("language", ["zh-hant", "pt"])
def test_no_english_interface_text_is_left(language, pages, planner_client):
    english = {url: _text(planner_client.get(url).content.decode()) for url in pages}
    planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    catalogue = _catalogues(language)
    # The language switcher names each language in English too (and in its own name).
    names = {str(name) for _code, name in settings.LANGUAGES}
    patterns = {
        msgid: pattern
        for msgid in {**_catalogues("pt"), **_catalogues("zh-hant")}
        if (pattern := _pattern(msgid)) is not None
    }
    left = []
    for url, english_text in english.items():
        response = planner_client.get(url)
        assert response.status_code == 200, url
        translated = _text(response.content.decode())
        for msgid, pattern in patterns.items():
            if msgid in names or catalogue.get(msgid) == msgid or not pattern.search(english_text):
                continue
            if pattern.search(translated):
                left.append(f"{url}: {msgid!r}")
        # Units and codes written into the templates, outside any msgid.
        raw = [r"\bprostitution_trafficking\b"] + ([r"\d min\b"] if language == "zh-hant" else [])
        left += [f"{url}: {r!r}" for r in raw if re.search(r, translated)]
    assert not left, "English left:\n" + "\n".join(sorted(left))


@pytest.mark.parametrize("language", ["zh-hant", "pt"])
def test_the_scheduler_catalogue_is_complete(language):
    po = polib.pofile(str(ROOT / "scheduler" / "locale" / LANGUAGES[language] / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not untranslated
    assert (ROOT / "scheduler" / "locale" / LANGUAGES[language] / "LC_MESSAGES" / "django.mo").exists()


@pytest.mark.parametrize("language", ["zh-hant", "pt"])
def test_dates_are_in_the_readers_format(language, pages, planner_client, operation):
    planner_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = planner_client.get("/planning/").content.decode()
    with translation.override(language):
        starts = formats.date_format(timezone.localtime(operation.starts_at), "SHORT_DATETIME_FORMAT")
    with translation.override("en"):
        english = formats.date_format(timezone.localtime(operation.starts_at), "SHORT_DATETIME_FORMAT")
    assert starts != english and starts in page and english not in page


def test_the_plan_names_sites_in_the_readers_language(planner_client, operation, city):
    venue = operation.targets.select_related("site").first().site
    type(venue).objects.filter(pk=venue.pk).update(name_zh_hant="蓮花卡拉OK")
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 2, "seed": 1}
    )
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    workspace = planner_client.get(f"/planning/operations/{operation.uuid}/plan/").content.decode()
    briefings = "".join(
        planner_client.get(f"/planning/operations/{operation.uuid}/plan/briefings/{n}/").content.decode()
        for n in (1, 2)
    )
    assert "蓮花卡拉OK" in workspace and venue.name_en not in workspace
    assert "蓮花卡拉OK" in briefings
    # The map's muster point marker carries a letter of the reader's language too.
    found = re.search(r'id="plan-data" hidden data-plan="([^"]*)"', workspace)
    assert json.loads(html.unescape(found.group(1)))["texts"]["muster_mark"] == "集"


# Half-width punctuation next to Chinese text: "准照: 123", "(組長)", "12月7日 (星期一)", and
# lists joined with ", " where Chinese lists with "、".
HALF_WIDTH_BY_CHINESE = re.compile(r"[\u3400-\u9fff][ ]?[(:,]|[(][ ]?[\u3400-\u9fff]|[\u3400-\u9fff][)]")


def test_chinese_pages_use_chinese_punctuation(pages, planner_client, operation, city):
    from backend.registry import services as registry
    from backend.registry.models import Skill

    # A briefing with everything that is labelled, bracketed or listed: a contractor and a
    # licence, the leader, an interpreter's languages and the searchers.
    for venue in city["venues"]:
        registry.site_update(actor=None, site=venue, licence_number="L-123")
    cantonese = Skill.objects.create(
        code="lang-yue", kind="language", name_en="Cantonese", name_zh_hant="粵語"
    )
    mandarin = Skill.objects.create(
        code="lang-cmn", kind="language", name_en="Mandarin", name_zh_hant="普通話"
    )
    for officer in (*city["psp"], *city["dsal"]):
        officer.skills.add(cantonese, mandarin)
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    found = []
    for url in pages:
        text = _text(planner_client.get(url).content.decode())
        found += [f"{url}: {m.group(0)!r}" for m in HALF_WIDTH_BY_CHINESE.finditer(text)]
    assert not found, "\n".join(found)
    briefing = _text(planner_client.get(pages[5]).content.decode())
    for text in ("准照：L-123", "（組長）", "普通話、粵語", "（花地瑪堂區）"):
        assert text in briefing, text


def test_a_plans_day_lists_labels_and_brackets_in_chinese():
    from scheduler.selectors import bracketed, labelled, list_text, plan_date

    with translation.override("zh-hant"):
        assert plan_date(dt.date(2026, 12, 7)) == "12月7日（星期一）"
        assert list_text(["PSP", "DSAL"]) == "PSP、DSAL"
        assert labelled("准照", "L-1") == "准照：L-1" and bracketed("Pat", "組長") == "Pat（組長）"
    with translation.override("pt"):
        assert plan_date(dt.date(2026, 12, 7)) == "Seg, 7 Dez" and list_text(["a", "b"]) == "a, b"
