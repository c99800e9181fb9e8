"""Chinese puts full-width brackets around a translated text: a template that typed "(…)" around
one ("({{ item.checklist }})", "{{ provider }} ({{ kind }})") showed "(建築工地非法工作巡查)" with
half-width brackets in the middle of Chinese. Each such phrase is now one msgid with placeholders,
which Chinese translates with "（…）" and English and Portuguese with "(…)".

The pages are read as a reader sees them (their text, without the markup), in Traditional Chinese:
no half-width bracket touches a Chinese character (a space between them allowed)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.conf import settings

from backend.compliance import services
from tests.compliance.pages.conftest import signed_in

pytestmark = pytest.mark.django_db

CJK = r"[\u3400-\u9fff]"
# A half-width bracket with a Chinese character right beside it (a space between them allowed).
HALF_WIDTH_BRACKET = re.compile(rf"{CJK} ?[()]|[()] ?{CJK}")


BLOCK = r"br|p|div|li|ul|ol|dl|dt|dd|td|th|tr|h[1-6]|section|caption|option|summary|legend|label|form"


def visible_text(html: str) -> str:
    """The page's text as it reads: no scripts, styles or data, no tags (a line break where a
    block or a <br> starts or ends); entities decoded."""
    html = re.sub(r"<(script|style|template)\b.*?</\1>", "\n", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    html = re.sub(rf"</?(?:{BLOCK})\b[^>]*>", "\n", html, flags=re.I)
    text = unescape(re.sub(r"<[^>]+>", "", html))
    return re.sub(r"\s*\n\s*", "\n", re.sub(r"[ \t]+", " ", text))


def half_width_brackets(text: str) -> list[str]:
    return [text[max(0, m.start() - 20) : m.end() + 20] for m in HALF_WIDTH_BRACKET.finditer(text)]


def zh_page(client, url: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


def test_the_detector_finds_what_the_pages_showed():
    assert half_width_brackets("待檢項目 (建築工地非法工作巡查)")
    assert half_width_brackets("善牧中心 (非政府組織)")
    assert not half_width_brackets("（建築工地非法工作巡查） V-02 (x) Good Shepherd Centre（非政府組織）")


def test_the_labour_bureaus_pages_have_no_half_width_brackets_in_chinese(case, visit, carol, joint, client):
    services.company_score_compute(company=joint.contractor)
    signed_in(client, carol)
    urls = [
        "/review/",
        f"/review/{visit.submission.uuid}/",
        "/compliance/",
        f"/compliance/companies/{joint.contractor.uuid}/",
        "/compliance/cases/",
        f"/compliance/cases/{case.uuid}/",
    ]
    pages = {url: zh_page(client, url) for url in urls}
    # The carried items name their checklist, and the review's history its counts: the phrases that
    # had brackets typed around them are on the pages.
    assert "（建築工地非法工作巡查）" in pages[f"/compliance/cases/{case.uuid}/"]
    assert "繁體中文（PDF）" in pages[f"/compliance/cases/{case.uuid}/"]
    assert "DSAL：" in pages[f"/review/{visit.submission.uuid}/"]
    found = {url: half_width_brackets(text) for url, text in pages.items()}
    assert not any(found.values()), found


def test_the_decisions_to_make_have_no_half_width_brackets_in_chinese(visit, carol, client):
    """Before the labour bureau decides: each finding's choice is named for a screen reader, with
    the worker it is about ("Worker 2") in brackets."""
    signed_in(client, carol)
    text = zh_page(client, f"/review/{visit.submission.uuid}/")
    assert "）的決定" in text, text
    assert not half_width_brackets(text), half_width_brackets(text)


def test_a_referrals_services_have_no_half_width_brackets_in_chinese(referral, vera, client):
    signed_in(client, vera)
    url = f"/protection/{referral.uuid}/"
    recorded = client.post(
        url + "services/",
        {
            "service-kind": "shelter",
            "service-provider_kind": "ngo",
            "service-provider_name": "善牧中心",
            "service-started_on": "2026-03-10",
        },
        HTTP_HX_REQUEST="true",
    )
    assert recorded.status_code == 200
    pages = {u: zh_page(client, u) for u in ("/protection/", url)}
    assert "善牧中心（" in pages[url], pages[url]
    found = {u: half_width_brackets(text) for u, text in pages.items()}
    assert not any(found.values()), found


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Good Shepherd Centre (non-governmental organisation)"), ("pt", "Good Shepherd Centre (")],
)
def test_english_and_portuguese_keep_their_brackets(referral, vera, client, language, expected):
    signed_in(client, vera)
    url = f"/protection/{referral.uuid}/"
    client.post(
        url + "services/",
        {
            "service-kind": "shelter",
            "service-provider_kind": "ngo",
            "service-provider_name": "Good Shepherd Centre",
            "service-started_on": "2026-03-10",
        },
        HTTP_HX_REQUEST="true",
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert expected in visible_text(client.get(url).content.decode())
