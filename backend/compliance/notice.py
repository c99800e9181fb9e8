"""The printable notice of a compliance case, in English, Traditional Chinese or Portuguese.

Each language has its own template (``templates/compliance/notice_<lang>.html``), written by
a speaker of it rather than assembled from fragments, since the notice is a legal document.
Each breach reads as it was found (the accepted finding's own title, in the notice's language),
with its code and the legal basis from the violation catalogue in the same language. Before
the notice is issued it renders as a draft without a deadline; a legal basis no administrator has
verified is never printed (such a notice cannot be issued, see ``case_notice_issue``). An issued
notice names the officer who issued it, how to reach them, a signature block and how to appeal.

The same template makes the PDF (``notice_render_pdf``, through xhtml2pdf on reportlab): A4, the
Chinese notice in the embedded Traditional Chinese font the yearly report uses."""

from __future__ import annotations

import io
import re
from collections import OrderedDict
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from backend.compliance.models import LANGUAGE_KEYS, ComplianceCase, Violation
from backend.core.errors import DomainError, InvalidInput
from backend.core.i18n import bracketed, pick

TEMPLATES = {
    "en": "compliance/notice_en.html",
    "zh-hant": "compliance/notice_zh_hant.html",
    "pt": "compliance/notice_pt.html",
}


def notice_context(case: ComplianceCase, language: str) -> dict[str, Any]:
    catalogue = {v.code: v for v in Violation.objects.all()}
    # One line per breach found, in the words of the finding the reviewer accepted (not the
    # catalogue's wider title for its code): two findings under one code are two lines, the same
    # finding on several workers one line with its count.
    items: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
    for finding in case.findings.order_by("violation_code", "pk"):
        violation = catalogue.get(finding.violation_code)
        title = pick(
            en=finding.title.get("en", ""),
            zh_hant=finding.title.get("zh-hant", ""),
            pt=finding.title.get("pt", ""),
            language=language,
        ) or (violation.title_in(language) if violation else "")
        item = items.setdefault(
            (finding.violation_code, title),
            {
                "code": finding.violation_code,
                "title": title,
                "legal_basis": (
                    violation.legal_basis_in(language)
                    if violation and violation.legal_basis_verified
                    else _("(legal basis awaiting an administrator's confirmation)")
                ),
                "count": 0,
            },
        )
        item["count"] += 1
    issuer = case.notice_issued_by
    with translation.override(language):
        return {
            "issuer": issuer,
            "issuer_rank": issuer.rank_title_shown if issuer else "",
            # "Name, Rank (Badge)" with the notice language's comma and brackets.
            "issuer_line": _issuer_line(issuer) if issuer else "",
            "issuer_unit": issuer.unit.name if issuer else "",
            "contact_address": issuer.unit.address_shown if issuer else "",
            "contact_email": issuer.user.email if issuer else "",
            "lang": language,
            "case": case,
            "issued": case.notice_issued_at is not None,
            # Dates as the notice's language writes them (26 Dec 2026; 26 de Dezembro de 2026;
            # 2026年12月26日), the console's formats (backend/formats), not ISO.
            "issued_on": formats.date_format(timezone.localdate(case.notice_issued_at), "DATE_FORMAT")
            if case.notice_issued_at
            else "",
            "deadline": formats.date_format(case.deadline, "DATE_FORMAT") if case.deadline else "",
            "agency_name": case.agency.name,
            "company_name": case.company.name if case.company else "",
            "site_name": case.site.name,
            "items": [{**item, "legal_basis": str(item["legal_basis"])} for item in items.values()],
        }


def _issuer_line(issuer: Any) -> str:
    """Who issues the notice, in the active language: "Carol Reviewer, Inspector (B00006)",
    "陳大文，督察（B00006）"."""
    name = issuer.full_name
    if issuer.rank_title_shown:
        name = pgettext("a person and their rank", "%(name)s, %(rank)s") % {
            "name": name,
            "rank": issuer.rank_title_shown,
        }
    return bracketed(name, issuer.badge_number)


def notice_render_html(case: ComplianceCase, language: str) -> str:
    if language not in LANGUAGE_KEYS:
        raise InvalidInput(errors={"lang": [str(_("One of %s.")) % ", ".join(LANGUAGE_KEYS)]})
    with translation.override(language):
        return render_to_string(TEMPLATES[language], notice_context(case, language))


class NoticeFontMissing(DomainError):
    """The Chinese notice's PDF needs a TrueType font with Traditional Chinese; there is none."""

    code = "notice_font_missing"
    status = 503
    title = _("The Chinese notice cannot be drawn as a PDF: no Chinese font is installed.")


# The CSS font family the PDF's template names for Chinese (mapped to the embedded font).
PDF_CJK_FAMILY = "notice-cjk"

# Han, kana, bopomofo and the full-width forms and punctuation that go with them.
_CJK_RUN = re.compile(
    "[\u2e80-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff00-\uffef\U00020000-\U0002ffff]+"
)
_TEXT_NODE = re.compile(r">([^<]+)<")


def _chinese_in_its_font(html: str) -> str:
    """Chinese inside an English or Portuguese notice (an officer's name, 周潔玲; a company's or
    a site's Chinese name) wrapped in spans of the Chinese font: Helvetica has no such glyphs, and
    the PDF served on the company showed the issuer's name as black boxes. Text of the body only,
    never inside a tag."""
    head, sep, body = html.partition("<body>")
    if not sep:
        return html

    def wrap(node: re.Match[str]) -> str:
        return ">" + _CJK_RUN.sub(lambda run: f'<span class="cjk">{run.group(0)}</span>', node.group(1)) + "<"

    return head + sep + _TEXT_NODE.sub(wrap, body)


def notice_render_pdf(case: ComplianceCase, language: str) -> bytes:
    """The notice as an A4 PDF, from the same template and context as the HTML."""
    from xhtml2pdf import default, pisa

    from backend.core.pdf_fonts import cjk_font

    if language not in LANGUAGE_KEYS:
        raise InvalidInput(errors={"lang": [str(_("One of %s.")) % ", ".join(LANGUAGE_KEYS)]})
    family = "Helvetica"
    font = cjk_font()
    if font is not None:
        default.DEFAULT_FONT[PDF_CJK_FAMILY] = font  # the name CSS gives it, to reportlab's
    if language == "zh-hant":
        if font is None:
            raise NoticeFontMissing(
                str(
                    _(
                        "Set REPORT_CJK_FONT to a TrueType font with Traditional Chinese (e.g. "
                        "Debian's fonts-arphic-uming); the notice can still be downloaded as HTML."
                    )
                )
            )
        family = PDF_CJK_FAMILY
    with translation.override(language):
        html = render_to_string(
            TEMPLATES[language],
            {
                **notice_context(case, language),
                "pdf_font": family,
                "pdf_cjk_font": PDF_CJK_FAMILY if font is not None else "",
            },
        )
    if family != PDF_CJK_FAMILY and font is not None:
        html = _chinese_in_its_font(html)
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:  # the template is ours: a failure here is a defect, not the user's input
        raise RuntimeError(f"the notice's PDF could not be drawn ({result.err} errors)")
    return out.getvalue()
