"""The notice is an official act: it names who issued it and how to reach them, has a signature
block and says how to appeal; its legal bases read in the notice's language; and a breach whose
legal basis names no verified Macao provision can never ground a notice until an administrator
confirms that legal basis."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pypdfium2 as pdfium
import pytest
from django.urls import reverse
from django.utils import translation

from backend.audit.models import AuditEntry
from backend.compliance import services
from backend.compliance.models import Violation
from backend.compliance.notice import notice_render_html
from backend.core.errors import Forbidden
from backend.inspections.models import Finding
from tests import factories


@pytest.fixture
def approved(joint, bob, carol, percy):
    construction = joint.submit_construction(bob)
    services.submission_approve(user=carol.user, submission=construction.submission)
    return construction


def _dsal(approved):
    return list(Finding.objects.filter(submission=approved.submission, competent_agency__code="DSAL"))


UNVERIFIED = ("no specific Macao prohibition verified", "nenhuma proibição específica", "未核實澳門")


def test_an_unverified_legal_basis_never_grounds_a_notice(approved, carol, api):
    case = services.case_open(user=carol.user, findings=_dsal(approved), reason="x")

    response = api.as_(carol).post(f"/api/v1/cases/{case.uuid}/issue-notice/", {}, format="json")
    assert response.status_code == 409 and response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "legal_basis_unverified" and body["violations"] == ["V-12"]
    assert "V-12" in body["detail"] and "administrator" in body["detail"]
    case.refresh_from_db()
    assert case.notice_issued_at is None and case.status == "open"
    for lang in ("en", "zh-hant", "pt"):
        html = notice_render_html(case, lang)
        assert not any(text in html for text in UNVERIFIED), lang


def test_an_administrator_confirms_the_legal_basis_in_the_admin(approved, carol, admin_client, admin_user):
    v12 = Violation.objects.get(code="V-12")
    assert not v12.legal_basis_verified
    response = admin_client.post(
        reverse("admin:compliance_violation_changelist"),
        {"action": "confirm_legal_basis", "_selected_action": [v12.pk]},
        follow=True,
    )
    assert response.status_code == 200
    v12.refresh_from_db()
    assert v12.legal_basis_verified and v12.legal_basis_confirmed_by == admin_user
    assert AuditEntry.objects.filter(verb="violation_legal_basis_confirm", actor=admin_user).exists()

    case = services.case_open(user=carol.user, findings=_dsal(approved), reason="x")
    services.case_notice_issue(user=carol.user, case=case)  # now it may


def test_only_an_administrator_confirms_a_legal_basis(approved, carol):
    with pytest.raises(Forbidden):
        services.violation_legal_basis_confirm(actor=carol.user, violation=Violation.objects.get(code="V-12"))
    assert not Violation.objects.get(code="V-12").legal_basis_verified


def test_reloading_the_catalogue_keeps_a_confirmation_until_the_legal_basis_changes(db, catalogue):
    administrator = factories.officer("DSAL", username="ada", roles=("administrator",))
    v12 = services.violation_legal_basis_confirm(
        actor=administrator.user, violation=Violation.objects.get(code="V-12")
    )
    services.violation_catalogue_load()
    assert Violation.objects.get(code="V-12").legal_basis_verified
    services.violation_catalogue_load(reset=True)
    assert not Violation.objects.get(code="V-12").legal_basis_verified
    assert Violation.objects.get(code="V-02").legal_basis_verified  # names verified laws
    assert v12.legal_basis_confirmed_at is not None


def test_the_issued_notice_names_the_issuer_contact_signature_and_appeal(approved, carol):
    findings = [f for f in _dsal(approved) if f.violation_code != "V-12"]
    case = services.case_open(user=carol.user, findings=findings, reason="x")
    carol.user.email = "carol@dsal.example"
    carol.user.save()
    services.case_notice_issue(user=carol.user, case=case)
    case.refresh_from_db()
    assert case.notice_issued_by == carol

    expected = {
        "en": ("Issued by", "Signature of the issuing officer", "Decree-Law No. 57/99/M", "Law No. 21/2009"),
        "zh-hant": ("發出人員", "發出人員簽署", "第57/99/M號法令", "第21/2009號法律"),
        "pt": ("Emitida por", "Assinatura do agente emissor", "Decreto-Lei n.º 57/99/M", "Lei n.º 21/2009"),
    }
    for lang, words in expected.items():
        html = notice_render_html(case, lang)
        assert all(word in html for word in words), (lang, [w for w in words if w not in html])
        assert carol.full_name in html and carol.badge_number in html and "carol@dsal.example" in html
        assert carol.unit.address in html
        # The issuer's badge in the notice language's brackets: "Carol（B00006）" in Chinese.
        opening, closing = ("（", "）") if lang == "zh-hant" else (" (", ")")
        assert f"{opening}{carol.badge_number}{closing}</div>" in html, lang
        # The signature's date after the label's own separator: no space after "日期：".
        issued = re.search(r"<p>(Date: |Data: |日期：)(\S)", html)
        assert issued, (lang, re.findall(r"<p>(?:Date|Data|日期)[^<]*</p>", html))
    assert "Law No." not in notice_render_html(case, "zh-hant") + notice_render_html(case, "pt")


NOTICE_ROW = re.compile(r"<tr><td>(V-\d+)</td><td>(.*?)</td><td>(.*?)</td><td>(\d+)</td></tr>")


@pytest.fixture
def fee_case(agency_visit, carol):
    """Both V-07 findings of the agency visit accepted and put in one case, its notice issued."""
    services.submission_approve(user=carol.user, submission=agency_visit.submission)
    findings = list(Finding.objects.filter(submission=agency_visit.submission))
    case = services.case_open(user=carol.user, findings=findings, reason="Fees.")
    return services.case_notice_issue(user=carol.user, case=case)


@pytest.mark.parametrize("lang", ["en", "zh-hant", "pt"])
def test_the_notice_states_each_breach_as_it_was_found(fee_case, lang):
    html = notice_render_html(fee_case, lang)
    rows = [tuple(unescape(cell) for cell in row) for row in NOTICE_ROW.findall(html)]
    v07 = Violation.objects.get(code="V-07")
    found = {f.title[lang] for f in fee_case.findings.all()}
    assert len(found) == 2
    assert sorted(rows) == sorted(("V-07", title, v07.legal_basis_in(lang), "1") for title in found)
    assert v07.title_in(lang) not in unescape(html)  # the catalogue's wider wording is not what was found


def test_the_issuer_line_names_the_agency_once(fee_case, carol):
    for lang in ("en", "zh-hant", "pt"):
        with translation.override(lang):
            unit, agency = carol.unit.name, carol.agency.name
        html = notice_render_html(fee_case, lang)
        assert unit in html and f"{unit}, {agency}" not in html, lang


def test_the_issuer_is_named_with_the_rank_title_of_the_notices_language(fee_case, carol):
    """The Chinese notice named its issuer "Carol，Subchefe": the one rank title an officer had
    was the agency's own, in Portuguese, printed in every language."""
    carol.rank_title, carol.rank_title_zh_hant, carol.rank_title_pt = "Deputy Chief", "副警長", "Subchefe"
    carol.save()
    fee_case.refresh_from_db()
    shown = {lang: unescape(notice_render_html(fee_case, lang)) for lang in ("en", "zh-hant", "pt")}
    assert f"{carol.full_name}，副警長（" in shown["zh-hant"]
    assert f"{carol.full_name}, Subchefe (" in shown["pt"]
    assert f"{carol.full_name}, Deputy Chief (" in shown["en"]
    assert "Subchefe" not in shown["zh-hant"] and "Deputy Chief" not in shown["pt"]

    carol.rank_title_zh_hant = ""  # none in Chinese: the agency's own title
    carol.save()
    fee_case.refresh_from_db()
    assert f"{carol.full_name}，Deputy Chief（" in unescape(notice_render_html(fee_case, "zh-hant"))


def _pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def _overlapping(textpage) -> list[str]:
    """Pairs of characters whose boxes overlap by more than a fifth of the smaller one's width."""
    boxes = []
    for i in range(textpage.count_chars()):
        char = textpage.get_text_range(i, 1)
        if char.strip():
            boxes.append((char, textpage.get_charbox(i)))
    out = []
    for n, (a, (al, ab, ar, at)) in enumerate(boxes):
        for b, (bl, bb, br, bt) in boxes[n + 1 :]:
            width = min(al - ar, bl - br, key=abs)
            if min(ar, br) - max(al, bl) > abs(width) / 5 and min(at, bt) - max(ab, bb) > 1:
                out.append(a + b)
    return out


def _squeezed(text: str) -> str:
    """Text as a PDF's lines give it back: without the breaks and spaces a line wrap puts in."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", ["en", "zh-hant", "pt"])
def test_the_notice_pdf_is_the_same_notice_on_a4(fee_case, carol, lang):
    from backend.compliance.notice import notice_context, notice_render_pdf

    data = notice_render_pdf(fee_case, lang)
    assert data.startswith(b"%PDF")
    document = pdfium.PdfDocument(data)
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
    text = _squeezed(_pdf_text(data))
    context = notice_context(fee_case, lang)
    expected = [
        fee_case.short_ref,
        context["company_name"],
        context["deadline"],
        carol.full_name,
        carol.badge_number,
        *(item["title"] for item in context["items"]),
        *(item["legal_basis"] for item in context["items"]),
    ]
    missing = [word for word in expected if _squeezed(word) not in text]
    assert not missing, (lang, missing)
    # Every character on the page, inside its margins: a Chinese line, with no space to wrap at,
    # ran off the page's edge and across the next column.
    for page in document:
        right = page.get_size()[0] - 40  # points: the 2 cm margin is 57
        textpage = page.get_textpage()
        outside = [
            textpage.get_text_range(i, 1)
            for i in range(textpage.count_chars())
            if textpage.get_charbox(i)[2] > right
        ]
        assert not outside, (lang, "".join(outside))
        # A cell's lines stay lines (the site's name above its address).
        lines = textpage.get_text_range().splitlines()
        site, address = context["site_name"], fee_case.site.address
        assert not any(site in line and address in line for line in lines), lines
        # And no character drawn over another (a cell's text running into the next cell).
        assert not _overlapping(textpage), lang
    if lang == "zh-hant":
        assert "發出人員簽署" in text  # drawn in Chinese, not as empty boxes
        fonts = {
            document[0].get_objects() and obj.get_font().get_base_name()
            for obj in document[0].get_objects()
            if obj.type == pdfium.raw.FPDF_PAGEOBJ_TEXT
        }
        assert any("ReportCJK" in name or "UMing" in name for name in fonts), fonts


def test_the_chinese_notice_pdf_without_a_chinese_font_is_refused_saying_so(fee_case, settings):
    from backend.compliance.notice import NoticeFontMissing, notice_render_pdf

    settings.REPORT_CJK_FONT = "/nowhere/font.ttc"
    with pytest.raises(NoticeFontMissing) as refused:
        notice_render_pdf(fee_case, "zh-hant")
    assert refused.value.status == 503 and "REPORT_CJK_FONT" in str(refused.value.detail)
    assert notice_render_pdf(fee_case, "en").startswith(b"%PDF")  # the others still draw


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_chinese_name_in_an_english_or_portuguese_notice_pdf_is_drawn_in_chinese(fee_case, carol, lang):
    """Macao's officers are often named in both scripts (the demo's DSAL reviewer is 'Chau Kit Ling
    周潔玲'): in Helvetica the name of the officer who issued the notice came out as black boxes
    in the PDF served on the company. Its Chinese runs are drawn in the embedded Chinese font."""
    from backend.compliance.notice import notice_render_pdf

    carol.full_name = "Carol Reviewer 陳美玲"
    carol.save(update_fields=["full_name"])
    fee_case.refresh_from_db()
    data = notice_render_pdf(fee_case, lang)
    text = _pdf_text(data)
    assert text.count("陳美玲") == 2 and "\u25a0" not in text, text  # the issuer's line, the signature
    fonts = {
        obj.get_font().get_base_name()
        for page in pdfium.PdfDocument(data)
        for obj in page.get_objects()
        if obj.type == pdfium.raw.FPDF_PAGEOBJ_TEXT
    }
    assert any("ReportCJK" in name or "UMing" in name for name in fonts), fonts
    assert any("Helvetica" in name for name in fonts), fonts  # the rest stays in the notice's font


def test_the_signature_block_of_the_notice_pdf_stays_on_one_page(fee_case, carol):
    """The Portuguese notice of two breaches ran just past one page, and its last line, the date
    under the signature, went alone onto a second page. However long the notice, the signature's
    label, the signer's name and the date share a page."""
    from backend.compliance.notice import notice_render_pdf

    site = fee_case.site
    split = []
    # Addresses long enough to push the signature block across the page's foot (the notice
    # turns to a second page between 58 and 62 words), within the field's 300 characters.
    for words in range(54, 72, 2):
        site.address = " ".join(["Rua"] * (words + 1))
        site.save(update_fields=["address"])
        fee_case.refresh_from_db()
        document = pdfium.PdfDocument(notice_render_pdf(fee_case, "pt"))
        for page in document:
            text = page.get_textpage().get_text_range()
            parts = ["Assinatura do agente emissor" in text, "Data:" in text]
            if any(parts) and not all(parts):
                split.append((words, len(document)))
    assert not split, split


NOTICE_DATES = {"en": "{d} Dec 2026", "zh-hant": "2026年12月{d}日", "pt": "{d} de Dezembro de 2026"}


@pytest.mark.parametrize("lang", ["en", "zh-hant", "pt"])
def test_the_notice_dates_as_its_language_does_and_sizes_its_columns_by_content(fee_case, carol, lang):
    """The PDF printed its dates as ISO (Issued on 2026-12-05, Rectify by 2026-12-19, the date under
    the signature) where the console writes 5 Dec 2026, 2026年12月5日, 5 de Dezembro de 2026; and its
    four columns were equal, "Code" (V-07) a quarter of the page and the breach as found squeezed
    into another quarter."""
    from backend.compliance.notice import notice_render_pdf

    fee_case.notice_issued_at = dt.datetime(2026, 12, 5, 9, tzinfo=dt.UTC)
    fee_case.deadline = dt.date(2026, 12, 19)
    fee_case.save(update_fields=["notice_issued_at", "deadline"])
    data = notice_render_pdf(fee_case, lang)
    document = pdfium.PdfDocument(data)
    text = _squeezed(_pdf_text(data))
    issued, deadline = (_squeezed(NOTICE_DATES[lang].format(d=d)) for d in (5, 19))
    assert text.count(issued) == 2 and deadline in text, text  # issued on, the signature's date; deadline
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text
    # The columns: where each header starts on the page.
    headers = {
        "en": ("Code", "Breach", "Legal basis", "Times found"),
        "zh-hant": ("代碼", "違規情況", "法律依據", "發現次數"),
        "pt": ("Código", "Infracção", "Base legal", "Ocorrências"),
    }[lang]
    textpage = document[0].get_textpage()
    page = textpage.get_text_range()
    row = next(line for line in page.splitlines() if line.startswith(headers[0]))
    assert row.split() == [w for h in headers for w in h.split()], row  # each header on one line
    start = page.index(row)
    lefts = [textpage.get_charbox(start + row.index(h))[0] for h in headers]
    code, breach, basis, count = (b - a for a, b in zip(lefts, [*lefts[1:], lefts[0] + 481], strict=True))
    assert code < count < basis < breach, (code, breach, basis, count)
    assert code < 481 / 6 and breach > 481 / 3, (code, breach)


def test_the_notices_contact_address_is_in_the_notices_language(fee_case, carol):
    """The Chinese notice gave the issuing unit's address in Portuguese, as registered; a unit has
    its Chinese address too now, and the Chinese notice gives it (the others the registered one)."""
    unit = carol.unit
    unit.address = "Avenida do Dr. Francisco Vieira Machado 221"
    unit.address_zh_hant = "澳門馬揸度博士大馬路221號"
    unit.save(update_fields=["address", "address_zh_hant"])
    chinese = unescape(notice_render_html(fee_case, "zh-hant"))
    assert "澳門馬揸度博士大馬路221號" in chinese and "Vieira Machado" not in chinese
    for lang in ("pt", "en"):
        assert "Avenida do Dr. Francisco Vieira Machado 221" in unescape(notice_render_html(fee_case, lang))
