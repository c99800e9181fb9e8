"""The printable notice of a compliance case, in English, Traditional Chinese or Portuguese.

Each language has its own template (``templates/compliance/notice_<lang>.html``), written by
a speaker of it rather than assembled from fragments, since the notice is a legal document.
Breach titles come from the violation catalogue in the same language. Before the notice is
issued it renders as a draft without a deadline."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from backend.compliance.models import LANGUAGE_KEYS, ComplianceCase, Violation
from backend.core.errors import InvalidInput

TEMPLATES = {
    "en": "compliance/notice_en.html",
    "zh-hant": "compliance/notice_zh_hant.html",
    "pt": "compliance/notice_pt.html",
}


def notice_context(case: ComplianceCase, language: str) -> dict[str, Any]:
    catalogue = {v.code: v for v in Violation.objects.all()}
    items: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for finding in case.findings.order_by("violation_code", "pk"):
        violation = catalogue.get(finding.violation_code)
        item = items.setdefault(
            finding.violation_code,
            {
                "code": finding.violation_code,
                "title": violation.title_in(language)
                if violation
                else finding.title.get(language) or finding.title.get("en", ""),
                "legal_basis": violation.legal_basis if violation else finding.legal_basis,
                "count": 0,
            },
        )
        item["count"] += 1
    with translation.override(language):
        return {
            "lang": language,
            "case": case,
            "issued": case.notice_issued_at is not None,
            "issued_on": timezone.localdate(case.notice_issued_at).isoformat()
            if case.notice_issued_at
            else "",
            "deadline": case.deadline.isoformat() if case.deadline else "",
            "agency_name": case.agency.name,
            "company_name": case.company.name if case.company else "",
            "site_name": case.site.name,
            "items": list(items.values()),
        }


def notice_render_html(case: ComplianceCase, language: str) -> str:
    if language not in LANGUAGE_KEYS:
        raise InvalidInput(errors={"lang": [str(_("One of %s.")) % ", ".join(LANGUAGE_KEYS)]})
    with translation.override(language):
        return render_to_string(TEMPLATES[language], notice_context(case, language))
