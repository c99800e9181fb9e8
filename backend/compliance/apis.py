"""The reviewers' API (/api/v1/): review queue and decisions, compliance cases, scores and the
compliance register, referrals and protection, prosecutions.

Thin: each class validates its input, calls one selector or service and shapes the output.
Who may see and do what is decided in ``selectors`` (scope: 404 outside it) and ``services``
(acting: 403 for a visible object the user may not change)."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.compliance import selectors, services
from backend.compliance.models import (
    LANGUAGE_KEYS,
    NOT_A_REFERENCE,
    CodedSex,
    ComplianceCase,
    ProsecutionRecord,
    ProtectionService,
    Referral,
    reference_prefix,
)
from backend.compliance.notice import notice_render_html, notice_render_pdf
from backend.core.access import get_visible_or_404, principal_for
from backend.core.errors import InvalidInput, NotFound
from backend.core.query_parameters import KnownQueryParameters
from backend.core.strict_input import UnknownFieldsRefused
from backend.inspections.models import Category, Finding
from backend.inspections.personal_files import served_response
from backend.privacy.reasons import ReadReason
from backend.registry.models import Company, Site

# --- Shared output shapes ------------------------------------------------------------------------


class FindingOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    submission = serializers.UUIDField(source="submission.uuid")
    inspection = serializers.UUIDField(source="inspection.uuid")
    site = serializers.UUIDField(source="inspection.site.uuid")
    rule_code = serializers.CharField()
    violation_code = serializers.CharField()
    severity = serializers.CharField()
    legal_basis = serializers.CharField()
    competent_agency = serializers.CharField(source="competent_agency_code")
    title = serializers.CharField(source="display_title")
    entry_path = serializers.CharField()
    potential_victim = serializers.BooleanField()
    evidence = serializers.JSONField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReviewOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    submission = serializers.UUIDField(source="submission.uuid")
    agency = serializers.CharField(source="agency.code")
    decision = serializers.CharField()
    comment = serializers.CharField()
    decided_by = serializers.CharField(source="decided_by.full_name")
    decided_at = serializers.DateTimeField()
    findings_approved = serializers.IntegerField()
    findings_rejected = serializers.IntegerField()


class QueueItemOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    inspection = serializers.UUIDField(source="inspection.uuid")
    category = serializers.CharField(source="inspection.category")
    site = serializers.UUIDField(source="inspection.site.uuid")
    site_name = serializers.CharField(source="inspection.site.name")
    site_kind = serializers.CharField(source="inspection.site.kind")
    operation = serializers.CharField(source="inspection.operation.name", default=None, allow_null=True)
    template = serializers.CharField(source="template_version.template.code")
    revision = serializers.IntegerField()
    officer = serializers.CharField(source="officer.full_name")
    officer_agency = serializers.CharField(source="officer.agency.code")
    received_at = serializers.DateTimeField()
    clock_skewed = serializers.BooleanField()
    my_findings = serializers.IntegerField()
    my_critical_findings = serializers.IntegerField(help_text="Of my_findings, those of critical severity.")
    my_high_findings = serializers.IntegerField(
        help_text="Of my_findings, those of high severity (critical ones are counted apart)."
    )
    potential_victims = serializers.IntegerField()


# --- Filters of the lists ---------------------------------------------------------------------------


def _one_of(params: Any, name: str, choices: Any) -> str | None:
    """A list's filter value, or None when not given. A value the field never takes is a 400 naming
    it: a misspelt ``?status=`` answered an empty list, which a script reads as "nothing there"."""
    value = params.get(name)
    if not value:
        return None
    allowed = [str(choice) for choice in choices]
    if value not in allowed:
        raise InvalidInput(errors={name: [str(_("One of %s.")) % ", ".join(allowed)]})
    return value


def _uuid_filter(params: Any, name: str) -> str | None:
    value = params.get(name)
    if not value:
        return None
    if not _is_uuid(value):
        raise InvalidInput(errors={name: [str(_("Must be a valid UUID."))]})
    return value


def _filter(name: str, choices: Any, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, enum=[str(c) for c in choices], description=description)


def _uuid_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.UUID, description=description)


YES_NO = ("true", "false")


# --- Review ----------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        parameters=[
            _filter("category", Category.values, "Only inspections of this category."),
            _filter("site_kind", Site.Kind.values, "Only sites of this kind."),
            _filter("severity", Finding.Severity.values, "Only with a finding of yours this severe."),
            _filter("potential_victim", YES_NO, "Only submissions with (true) or without (false) one."),
            _filter("ordering", ("received_at", "-received_at", "-my_findings"), "received_at by default."),
        ]
    )
)
class ReviewQueueApi(KnownQueryParameters, ListAPIView):
    """Submissions awaiting the decision of the caller's agency. Filters: ``category``,
    ``site_kind``, ``severity`` (has a finding of the agency of this severity),
    ``potential_victim`` (true/false). ``ordering``: ``received_at`` (default), ``-received_at``,
    ``-my_findings``."""

    serializer_class = QueueItemOutput
    filter_backends: list[Any] = []
    ORDERINGS = {
        "received_at": ("received_at", "pk"),
        "-received_at": ("-received_at", "-pk"),
        "-my_findings": ("-my_findings", "received_at", "pk"),
    }

    def get_queryset(self) -> Any:
        principal = principal_for(self.request.user)
        params = self.request.query_params
        qs = selectors.review_queue(user=self.request.user).annotate(
            **selectors.finding_counts(principal.agency_id)
        )
        if category := _one_of(params, "category", Category.values):
            qs = qs.filter(inspection__category=category)
        if site_kind := _one_of(params, "site_kind", Site.Kind.values):
            qs = qs.filter(inspection__site__kind=site_kind)
        if severity := _one_of(params, "severity", Finding.Severity.values):
            qs = qs.filter(
                Exists(
                    Finding.objects.filter(
                        submission=OuterRef("pk"),
                        competent_agency_id=principal.agency_id,
                        severity=severity,
                    )
                )
            )
        if victim := _one_of(params, "potential_victim", YES_NO):
            qs = qs.filter(potential_victims__gt=0) if victim == "true" else qs.filter(potential_victims=0)
        ordering = params.get("ordering", "received_at")
        if ordering not in self.ORDERINGS:
            raise InvalidInput(errors={"ordering": [str(_("One of %s.")) % ", ".join(self.ORDERINGS)]})
        return qs.order_by(*self.ORDERINGS[ordering])


@extend_schema_view(
    get=extend_schema(
        parameters=[
            _filter("status", Finding.Status.values, "draft by default."),
            OpenApiParameter("violation_code", str, description="A code of the catalogue, e.g. V-01."),
            _filter("severity", Finding.Severity.values, "Only findings this severe."),
            _uuid_parameter("submission", "Only the findings of this submission."),
        ]
    )
)
class ReviewFindingListApi(KnownQueryParameters, ListAPIView):
    """The caller's agency's findings. Filters: ``status`` (default draft), ``violation_code``,
    ``severity``, ``submission``."""

    serializer_class = FindingOutput
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        params = self.request.query_params
        qs = selectors.review_findings(user=self.request.user)
        wanted = params.get("status", Finding.Status.DRAFT)
        if wanted not in Finding.Status.values:
            raise InvalidInput(errors={"status": [str(_("One of %s.")) % ", ".join(Finding.Status.values)]})
        qs = qs.filter(status=wanted)
        if params.get("violation_code"):
            qs = qs.filter(violation_code=params["violation_code"])
        if severity := _one_of(params, "severity", Finding.Severity.values):
            qs = qs.filter(severity=severity)
        if submission := _uuid_filter(params, "submission"):
            qs = qs.filter(submission__uuid=submission)
        return qs


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class ReviewAttachmentOutput(serializers.Serializer):
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)
    received = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_received(self, attachment: Any) -> bool:
        return attachment.received_at is not None

    def get_url(self, attachment: Any) -> str | None:
        """The served copy (metadata stripped), once the phone has uploaded the file."""
        if attachment.received_at is None:
            return None
        path = reverse("review-attachment", args=[attachment.submission.uuid, attachment.name])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ReviewCheckInOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    officer = serializers.CharField(source="officer.full_name")
    distance_m = serializers.DecimalField(max_digits=10, decimal_places=1)
    accuracy_m = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    outside_radius = serializers.BooleanField()
    device_time = serializers.DateTimeField()
    received_at = serializers.DateTimeField()
    clock_skewed = serializers.BooleanField()


class ReviewSubmissionDetailApi(APIView):
    """A submission to review: its answers, each photo's served copy, the check-ins with their
    distance and clock flags, the caller's agency's findings and the decisions so far."""

    class Output(serializers.Serializer):
        id = serializers.UUIDField(source="uuid")
        inspection = serializers.UUIDField(source="inspection.uuid")
        site_name = serializers.CharField(source="inspection.site.name")
        template = serializers.CharField(source="template_version.template.code")
        revision = serializers.IntegerField()
        status = serializers.CharField()
        officer = serializers.CharField(source="officer.full_name")
        received_at = serializers.DateTimeField()
        answers = serializers.JSONField()
        score = serializers.JSONField()
        clock_skewed = serializers.BooleanField()

    @extend_schema(responses=Output)
    def get(self, request: Request, submission_id: str) -> Response:
        submission = selectors.review_submission_get(user=request.user, uuid=submission_id)
        body = dict(self.Output(submission).data)
        body["attachments"] = ReviewAttachmentOutput(
            selectors.review_attachments(submission=submission), many=True, context={"request": request}
        ).data
        body["check_ins"] = ReviewCheckInOutput(
            selectors.review_check_ins(submission=submission), many=True
        ).data
        body["findings"] = FindingOutput(
            selectors.review_findings(user=request.user, submission=submission), many=True
        ).data
        body["reviews"] = ReviewOutput(
            selectors.review_list(user=request.user, submission=submission), many=True
        ).data
        return Response(body)


class ReviewAttachmentApi(APIView):
    """The served copy of a submission's photo or document (EXIF and GPS removed), for those who
    may review the submission; the original stays as evidence."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, submission_id: str, name: str) -> HttpResponseBase:
        attachment = selectors.review_attachment_get(
            user=request.user, submission_uuid=submission_id, name=name
        )
        response = served_response(attachment)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class SubmissionApproveApi(APIView):
    class Input(UnknownFieldsRefused, serializers.Serializer):
        comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
        reject = serializers.ListField(
            child=serializers.UUIDField(), required=False, default=list, max_length=500
        )

    @extend_schema(request=Input, responses={201: ReviewOutput})
    def post(self, request: Request, submission_id: str) -> Response:
        submission = selectors.review_submission_get(user=request.user, uuid=submission_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.submission_approve(
            user=request.user,
            submission=submission,
            comment=data.validated_data["comment"],
            reject=data.validated_data["reject"],
            request=request,
        )
        return Response(ReviewOutput(review).data, status=status.HTTP_201_CREATED)


class SubmissionReturnApi(APIView):
    class Input(UnknownFieldsRefused, serializers.Serializer):
        comment = serializers.CharField(max_length=2000)

    @extend_schema(request=Input, responses={201: ReviewOutput})
    def post(self, request: Request, submission_id: str) -> Response:
        submission = selectors.review_submission_get(user=request.user, uuid=submission_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.submission_return(
            user=request.user, submission=submission, comment=data.validated_data["comment"], request=request
        )
        return Response(ReviewOutput(review).data, status=status.HTTP_201_CREATED)


# --- Catalogue ---------------------------------------------------------------------------------------


class ViolationListApi(KnownQueryParameters, ListAPIView):
    class Output(serializers.Serializer):
        code = serializers.CharField()
        area = serializers.CharField()
        title = serializers.CharField()
        title_en = serializers.CharField()
        title_zh_hant = serializers.CharField()
        title_pt = serializers.CharField()
        legal_basis = serializers.CharField()
        laws = serializers.JSONField()
        default_severity = serializers.CharField()
        corrective_days = serializers.IntegerField()
        competent_agency = serializers.CharField(source="competent_agency_code")
        defaults_verified = serializers.BooleanField()

    serializer_class = Output
    filter_backends: list[Any] = []
    pagination_class = None

    def get_queryset(self) -> Any:
        return selectors.violation_list(user=self.request.user)


# --- Cases -----------------------------------------------------------------------------------------


class CaseOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    reference = serializers.CharField(source="short_ref")
    agency = serializers.CharField(source="agency.code")
    company = serializers.UUIDField(source="company.uuid", default=None, allow_null=True)
    company_name = serializers.CharField(source="company.name", default=None, allow_null=True)
    site = serializers.UUIDField(source="site.uuid")
    site_name = serializers.CharField(source="site.name")
    status = serializers.CharField()
    corrective_days = serializers.IntegerField()
    deadline = serializers.DateField(allow_null=True)
    opened_at = serializers.DateTimeField()
    notice_issued_at = serializers.DateTimeField(allow_null=True)
    follow_up = serializers.UUIDField(source="follow_up.uuid", default=None, allow_null=True)
    follow_up_requested_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField()
    penalty_amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    rectified_on = serializers.DateField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


class CaseEventOutput(serializers.Serializer):
    """A step of the timeline: what happened as a stable ``code`` with the values it names
    (``details``) and as a ``message`` in the reader's language (Accept-Language), as a plan's
    unplanned visits carry their ``rule`` and ``explanation``."""

    kind = serializers.CharField()
    code = serializers.CharField(
        help_text="What happened: opened, notice_issued, comment, follow_up_requested.early, "
        "follow_up_requested.deadline_passed, outcome or reopened; empty for an event recorded before "
        "codes."
    )
    message = serializers.CharField(
        help_text="What happened, in the reader's language; empty for an event recorded before codes, "
        "whose words are in why as they were stored."
    )
    at = serializers.DateTimeField()
    who = serializers.CharField(source="actor_label")
    why = serializers.CharField(source="reason", help_text="A person's own words: the reason or the comment.")
    details = serializers.JSONField(source="data")


@extend_schema_view(
    get=extend_schema(
        parameters=[
            _filter("status", ComplianceCase.Status.values, "Only cases in this status."),
            _uuid_parameter("company", "Only the cases of this company."),
            _uuid_parameter("site", "Only the cases of this site."),
        ]
    )
)
class CaseListApi(KnownQueryParameters, ListAPIView):
    """The caller's agency's cases. Filters: ``status``, ``company``, ``site``."""

    serializer_class = CaseOutput
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        params = self.request.query_params
        qs = selectors.case_list(user=self.request.user)
        if wanted := _one_of(params, "status", ComplianceCase.Status.values):
            qs = qs.filter(status=wanted)
        for name in ("company", "site"):
            if value := _uuid_filter(params, name):
                qs = qs.filter(**{f"{name}__uuid": value})
        return qs


class CaseOpenApi(APIView):
    class Input(UnknownFieldsRefused, serializers.Serializer):
        findings = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=500)
        company = serializers.UUIDField(required=False, allow_null=True)
        corrective_days = serializers.IntegerField(
            required=False, allow_null=True, min_value=1, max_value=365
        )
        reason = serializers.CharField(max_length=2000)

    @extend_schema(request=Input, responses={201: CaseOutput})
    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        wanted = {str(u) for u in data.validated_data["findings"]}
        found = list(
            selectors.review_findings(user=request.user)
            .filter(uuid__in=wanted)
            .select_related("inspection__site")
        )
        missing = sorted(wanted - {str(f.uuid) for f in found})
        if missing:
            raise InvalidInput(errors={"findings": [str(_("Unknown finding: %s")) % m for m in missing]})
        company = None
        if data.validated_data.get("company"):
            company = get_visible_or_404(
                request.user, Company.objects.all(), uuid=data.validated_data["company"]
            )
        case = services.case_open(
            user=request.user,
            findings=found,
            company=company,
            reason=data.validated_data["reason"],
            corrective_days=data.validated_data.get("corrective_days"),
            request=request,
        )
        return Response(CaseOutput(case).data, status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    """A case with its findings and its timeline."""

    @extend_schema(responses=CaseOutput)
    def get(self, request: Request, case_id: str) -> Response:
        case = selectors.case_get(user=request.user, uuid=case_id)
        body = dict(CaseOutput(case).data)
        body["findings"] = FindingOutput(
            case.findings.select_related("submission", "inspection__site"), many=True
        ).data
        body["timeline"] = CaseEventOutput(selectors.case_timeline(case=case), many=True).data
        return Response(body)


class CaseNoticeIssueApi(APIView):
    class Input(UnknownFieldsRefused, serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    @extend_schema(request=Input, responses=CaseOutput)
    def post(self, request: Request, case_id: str) -> Response:
        case = selectors.case_get(user=request.user, uuid=case_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_notice_issue(
            user=request.user, case=case, reason=data.validated_data["reason"], request=request
        )
        return Response(CaseOutput(case).data)


class CaseNoticeApi(APIView):
    """The printable notice (HTML) in ``en``, ``zh-hant`` or ``pt``."""

    @extend_schema(responses={(200, "text/html"): OpenApiTypes.STR})
    def get(self, request: Request, case_id: str, lang: str) -> HttpResponse:
        case = selectors.case_get(user=request.user, uuid=case_id)
        if lang not in LANGUAGE_KEYS:
            raise NotFound()
        return HttpResponse(notice_render_html(case, lang), content_type="text/html; charset=utf-8")


class CaseNoticePdfApi(APIView):
    """The notice as an A4 PDF in ``en``, ``zh-hant`` or ``pt`` (503 ``notice_font_missing`` for
    Chinese without a Chinese font installed)."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, case_id: str, lang: str) -> HttpResponse:
        case = selectors.case_get(user=request.user, uuid=case_id)
        if lang not in LANGUAGE_KEYS:
            raise NotFound()
        response = HttpResponse(notice_render_pdf(case, lang), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="notice-{case.short_ref}-{lang}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class CaseCommentApi(APIView):
    class Input(UnknownFieldsRefused, serializers.Serializer):
        text = serializers.CharField(max_length=4000)

    @extend_schema(request=Input, responses={201: CaseEventOutput})
    def post(self, request: Request, case_id: str) -> Response:
        case = selectors.case_get(user=request.user, uuid=case_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.case_comment(
            user=request.user, case=case, text=data.validated_data["text"], request=request
        )
        return Response(CaseEventOutput(event).data, status=status.HTTP_201_CREATED)


class CaseOutcomeApi(APIView):
    class Input(UnknownFieldsRefused, serializers.Serializer):
        outcome = serializers.ChoiceField(choices=ComplianceCase.Outcome.choices)
        reason = serializers.CharField(max_length=2000)
        penalty_amount = serializers.DecimalField(
            max_digits=12, decimal_places=2, required=False, allow_null=True
        )
        rectified_on = serializers.DateField(required=False, allow_null=True)
        before_deadline = serializers.BooleanField(
            required=False,
            default=False,
            help_text="A sanction (penalty, licence referral) while the notice's corrective deadline"
            " still runs is recorded only with this set: the company may still put things right.",
        )

    @extend_schema(request=Input, responses=CaseOutput)
    def post(self, request: Request, case_id: str) -> Response:
        case = selectors.case_get(user=request.user, uuid=case_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_decide(user=request.user, case=case, request=request, **data.validated_data)
        return Response(CaseOutput(case).data)


class CaseReopenApi(APIView):
    """A reviewer of the case's agency reopens a closed case, saying why: the outcome is
    withdrawn and the case goes back to the step it was closed from. ``reopened`` says whether
    this call reopened it (false: the case was not closed, and nothing changed)."""

    class Input(UnknownFieldsRefused, serializers.Serializer):
        reason = serializers.CharField(max_length=2000)

    class Output(CaseOutput):
        reopened = serializers.BooleanField()

    @extend_schema(request=Input, responses=Output)
    def post(self, request: Request, case_id: str) -> Response:
        case = selectors.case_get(user=request.user, uuid=case_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        case, reopened = services.case_reopen(
            user=request.user, case=case, reason=data.validated_data["reason"], request=request
        )
        return Response({**CaseOutput(case).data, "reopened": reopened})


# --- Scores and the register -------------------------------------------------------------------------


class RankingOutput(serializers.Serializer):
    company = serializers.UUIDField(source="uuid")
    name = serializers.CharField()
    kind = serializers.CharField()
    registration_number = serializers.CharField()
    score = serializers.DecimalField(source="current_score", max_digits=5, decimal_places=2)
    factors = serializers.JSONField(source="current_factors")
    computed_at = serializers.DateTimeField(source="scored_at")


@extend_schema_view(
    get=extend_schema(parameters=[_filter("kind", Company.Kind.values, "Only companies of this kind.")])
)
class CompanyRankingApi(KnownQueryParameters, ListAPIView):
    """Employment agencies and contractors ranked by compliance score, worst first, with the
    factors beside the number. Filter: ``kind``."""

    serializer_class = RankingOutput
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.company_ranking(
            user=self.request.user, kind=_one_of(self.request.query_params, "kind", Company.Kind.values)
        )


class CompanyScoreHistoryApi(APIView):
    class Output(serializers.Serializer):
        score = serializers.DecimalField(max_digits=5, decimal_places=2)
        factors = serializers.JSONField()
        computed_at = serializers.DateTimeField()
        window_start = serializers.DateField()
        window_end = serializers.DateField()

    @extend_schema(responses=Output(many=True))
    def get(self, request: Request, company_id: str) -> Response:
        company, history = selectors.company_score_history(user=request.user, company_uuid=company_id)
        return Response(
            {
                "company": str(company.uuid),
                "name": company.name,
                "history": self.Output(history, many=True).data,
            }
        )


REGISTER_COLUMNS = [
    "company",
    "name",
    "name_zh_hant",
    "name_pt",
    "kind",
    "registration_number",
    "score",
    "computed_at",
    "inspections",
    "findings_low",
    "findings_medium",
    "findings_high",
    "findings_critical",
    "repeat_violations",
    "F",
    "R",
    "T",
    "open_cases",
    "closed_cases",
]


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class ComplianceRegisterCsvApi(KnownQueryParameters, APIView):
    """The compliance register as CSV: every scored company, worst first, with its factors.
    Filtered as the register's page filters (``kind``, ``q`` a name or registration number,
    ``open_cases``), whose "Download CSV" passes its filters on: the file holds what the page
    showed, each company named in the three languages."""

    @extend_schema(
        parameters=[
            _filter("kind", Company.Kind.values, "Only companies of this kind."),
            OpenApiParameter("q", str, description="Part of a name (any language) or registration number."),
            OpenApiParameter("open_cases", bool, description="Only companies with your agency's open cases."),
        ],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request: Request) -> HttpResponse:
        params = request.query_params
        # The page's checkbox sends "on"; a script true or false. Another word is refused, as the
        # whole register under a misspelt filter read as the filtered one.
        open_cases = _one_of(params, "open_cases", ("true", "false", "on", "1", "0"))
        companies = selectors.company_register(
            user=request.user,
            kind=_one_of(params, "kind", Company.Kind.values) or "",
            query=params.get("q", "").strip()[:100],
            open_cases=open_cases in ("on", "true", "1"),
        ).annotate(
            closed_cases=Count(
                "compliance_cases", filter=Q(compliance_cases__status="closed"), distinct=True
            ),
        )
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(REGISTER_COLUMNS)
        for c in companies:
            f = c.current_factors or {}
            found = f.get("findings", {})
            writer.writerow(
                [
                    _cell(v)
                    for v in (
                        c.uuid,
                        c.name_en,
                        c.name_zh_hant,
                        c.name_pt,
                        c.kind,
                        c.registration_number,
                        f"{Decimal(c.current_score):.2f}",
                        timezone.localtime(c.scored_at).isoformat(),
                        f.get("inspections"),
                        found.get("low"),
                        found.get("medium"),
                        found.get("high"),
                        found.get("critical"),
                        " ".join(f.get("repeat_violations", [])),
                        f.get("F"),
                        f.get("R"),
                        f.get("T"),
                        c.open_cases,
                        c.closed_cases,
                    )
                ]
            )
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="compliance-register-{stamp}.csv"'
        return response


# --- Referrals ---------------------------------------------------------------------------------------


class ServiceOutput(serializers.Serializer):
    """A protection service. Who provides it and the note say where a person is: shown to victim
    protection alone (context ``protection_details``, from the selector); others see the coded
    kinds, so counts stay possible."""

    id = serializers.UUIDField(source="uuid")
    kind = serializers.CharField()
    provider_kind = serializers.CharField()
    provider_name = serializers.SerializerMethodField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    note = serializers.SerializerMethodField()

    def _shown(self, value: str) -> str | None:
        return value if self.context.get("protection_details") else None

    def get_provider_name(self, row: ProtectionService) -> str | None:
        return self._shown(row.provider_name)

    def get_note(self, row: ProtectionService) -> str | None:
        return self._shown(row.note)


def _protection_context(request: Request) -> dict[str, Any]:
    return {"protection_details": selectors.protection_details_visible(user=request.user)}


class ReferralOutput(serializers.Serializer):
    """Coded, non-identifying fields only."""

    id = serializers.UUIDField(source="uuid")
    reference = serializers.CharField(
        source="short_ref",
        help_text="The reference people quote (the id's first eight characters, in capitals), "
        "as the console shows it; `?reference=` finds it in either case.",
    )
    referring_agency = serializers.CharField(source="referring_agency.code", default=None, allow_null=True)
    referred_to = serializers.CharField(source="referred_to_code")
    site = serializers.UUIDField(source="site.uuid")
    site_name = serializers.CharField(source="site.name")
    observed_at = serializers.DateTimeField(help_text="When the server received the screening.")
    screened_at = serializers.DateTimeField(
        help_text="When the officer screened the person: the screening's time on the phone "
        "(its first revision)."
    )
    language = serializers.CharField()
    interpreter_used = serializers.BooleanField(allow_null=True)
    urgency = serializers.CharField()
    indicators = serializers.JSONField()
    nationality_band = serializers.CharField()
    sex = serializers.CharField()
    age_band = serializers.CharField()
    status = serializers.CharField()
    assessment = serializers.CharField()
    created_at = serializers.DateTimeField()
    notified_at = serializers.DateTimeField(allow_null=True)
    services = ServiceOutput(many=True)


class ReferralListApi(KnownQueryParameters, ListAPIView):
    """The referrals the caller may see, the newest first. Filters: ``status``, ``urgency``,
    ``reference`` (a referral's reference as people quote it, ``3F9A1B2C``, in either case, or its
    whole id; anything else is refused with 400)."""

    serializer_class = ReferralOutput
    filter_backends: list[Any] = []

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **_protection_context(self.request)}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "reference", str, description="A referral's reference (`3F9A1B2C`), in either case."
            ),
            _filter("status", Referral.Status.values, "Only referrals in this status."),
            _filter("urgency", Referral.Urgency.values, "Only referrals of this urgency."),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        text = self.request.query_params.get("reference", "")
        reference = reference_prefix(text) if text else ""
        if reference is None:
            raise InvalidInput(errors={"reference": [str(NOT_A_REFERENCE)]})
        qs = selectors.referral_list(user=self.request.user, reference=reference)
        for name, choices in (("status", Referral.Status.values), ("urgency", Referral.Urgency.values)):
            if value := _one_of(self.request.query_params, name, choices):
                qs = qs.filter(**{name: value})
        return qs


class ReferralDetailApi(APIView):
    @extend_schema(responses=ReferralOutput)
    def get(self, request: Request, referral_id: str) -> Response:
        referral = selectors.referral_get(user=request.user, uuid=referral_id)
        return Response(ReferralOutput(referral, context=_protection_context(request)).data)


class PersonOutput(serializers.Serializer):
    referral = serializers.UUIDField(source="referral.uuid")
    field_reference = serializers.CharField()
    full_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    nationality = serializers.CharField()
    travel_document = serializers.CharField()
    contact = serializers.CharField()
    notes = serializers.CharField()
    updated_at = serializers.DateTimeField()


_REASON_PARAMETERS = [
    OpenApiParameter(
        "reason",
        str,
        required=True,
        enum=ReadReason.values,
        description="Why you read the details; recorded with the read in the audit log.",
    ),
    OpenApiParameter("reason_text", str, description="Required when reason is `other` (5–300 characters)."),
]


class ReferralPersonApi(APIView):
    """The referred person's details: victim-protection role only; every read is audited with
    its reason (``?reason=``, one of the codes; ``reason_text`` for ``other``)."""

    @extend_schema(responses=PersonOutput, parameters=_REASON_PARAMETERS)
    def get(self, request: Request, referral_id: str) -> Response:
        details = selectors.victim_details_get(
            user=request.user,
            referral_uuid=referral_id,
            reason=request.query_params.get("reason"),
            reason_text=request.query_params.get("reason_text", ""),
            request=request,
        )
        response = Response(PersonOutput(details).data)
        response["Cache-Control"] = "no-store"
        return response


class ReferralPersonRecordApi(APIView):
    class Input(UnknownFieldsRefused, serializers.Serializer):
        full_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
        date_of_birth = serializers.DateField(required=False, allow_null=True)
        nationality = serializers.CharField(required=False, allow_blank=True, max_length=60)
        travel_document = serializers.CharField(required=False, allow_blank=True, max_length=60)
        contact = serializers.CharField(required=False, allow_blank=True, max_length=200)
        notes = serializers.CharField(required=False, allow_blank=True, max_length=10000)

    @extend_schema(request=Input, responses=PersonOutput)
    def post(self, request: Request, referral_id: str) -> Response:
        details = selectors.victim_details_get(
            user=request.user, referral_uuid=referral_id, reason=ReadReason.RECORD, request=request
        )
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        details = services.victim_details_record(
            user=request.user, details=details, request=request, **data.validated_data
        )
        response = Response(PersonOutput(details).data)
        response["Cache-Control"] = "no-store"
        return response


class ReferralUpdateApi(APIView):
    class Input(UnknownFieldsRefused, serializers.Serializer):
        status = serializers.ChoiceField(choices=Referral.Status.choices, required=False)
        assessment = serializers.ChoiceField(choices=Referral.Assessment.choices, required=False)
        sex = serializers.ChoiceField(choices=CodedSex.choices, required=False)

    @extend_schema(request=Input, responses=ReferralOutput)
    def post(self, request: Request, referral_id: str) -> Response:
        referral = selectors.referral_get(user=request.user, uuid=referral_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.referral_update(
            user=request.user, referral=referral, request=request, **data.validated_data
        )
        return Response(ReferralOutput(referral, context=_protection_context(request)).data)


class ProtectionServiceRecordApi(APIView):
    class Input(UnknownFieldsRefused, serializers.Serializer):
        kind = serializers.ChoiceField(choices=ProtectionService.Kind.choices)
        provider_kind = serializers.ChoiceField(choices=ProtectionService.Provider.choices)
        provider_name = serializers.CharField(max_length=200)
        started_on = serializers.DateField()
        ended_on = serializers.DateField(required=False, allow_null=True)
        note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")

    @extend_schema(request=Input, responses={201: ServiceOutput})
    def post(self, request: Request, referral_id: str) -> Response:
        referral = selectors.referral_get(user=request.user, uuid=referral_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.protection_service_record(
            user=request.user, referral=referral, request=request, **data.validated_data
        )
        return Response(
            ServiceOutput(row, context=_protection_context(request)).data, status=status.HTTP_201_CREATED
        )


# --- Prosecutions ------------------------------------------------------------------------------------


class ProsecutionOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    kind = serializers.CharField()
    offence = serializers.CharField()
    on = serializers.DateField()
    agency = serializers.CharField(source="agency.code")
    file_reference = serializers.CharField()
    case = serializers.UUIDField(source="case.uuid", default=None, allow_null=True)
    referral = serializers.UUIDField(source="referral.uuid", default=None, allow_null=True)
    defendants = serializers.IntegerField()
    note = serializers.CharField()


@extend_schema_view(
    get=extend_schema(
        parameters=[
            _filter("kind", ProsecutionRecord.Kind.values, "Only records of this kind."),
            OpenApiParameter("year", int, description="Only records of this year, e.g. 2023."),
        ]
    )
)
class ProsecutionListApi(KnownQueryParameters, ListAPIView):
    """Transfers to the prosecutors, prosecutions and judgments. Filters: ``kind``, ``year``."""

    serializer_class = ProsecutionOutput
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        params = self.request.query_params
        qs = selectors.prosecution_list(user=self.request.user)
        if kind := _one_of(params, "kind", ProsecutionRecord.Kind.values):
            qs = qs.filter(kind=kind)
        if params.get("year"):
            # ASCII digits of a calendar year: "²" is a digit to str.isdigit, and thirty digits
            # overflow the database's integer.
            if not re.fullmatch(r"[0-9]{4}", params["year"]) or params["year"] < "1900":
                raise InvalidInput(errors={"year": [str(_("A year, e.g. 2023."))]})
            qs = qs.filter(on__year=int(params["year"]))
        return qs


class ProsecutionRecordApi(APIView):
    class Input(UnknownFieldsRefused, serializers.Serializer):
        kind = serializers.ChoiceField(choices=ProsecutionRecord.Kind.choices)
        offence = serializers.ChoiceField(choices=ProsecutionRecord.Offence.choices)
        on = serializers.DateField()
        file_reference = serializers.CharField(max_length=60)
        case = serializers.UUIDField(required=False, allow_null=True)
        referral = serializers.UUIDField(required=False, allow_null=True)
        defendants = serializers.IntegerField(min_value=0, max_value=1000, default=1)
        note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")

    @extend_schema(request=Input, responses={201: ProsecutionOutput})
    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        # The agency's own case and referrals alone: another's, though its reader may see it, is
        # not this agency's record to name (and is as unknown as a missing one).
        if values.get("case"):
            values["case"] = selectors.prosecution_case_get(user=request.user, uuid=values["case"])
        if values.get("referral"):
            values["referral"] = selectors.prosecution_referral_get(
                user=request.user, uuid=values["referral"]
            )
        row = services.prosecution_record(user=request.user, request=request, **values)
        return Response(ProsecutionOutput(row).data, status=status.HTTP_201_CREATED)


def _name_nested_serializers() -> None:
    """Nested ``Input``/``Output`` classes share their names across APIs; give each its own name
    in the OpenAPI schema (``CaseOpenApiInput``), or the components would overwrite each other."""
    from drf_spectacular.utils import extend_schema_serializer

    for api in list(globals().values()):
        if isinstance(api, type) and api.__name__.endswith("Api") and api.__module__ == __name__:
            for part in ("Input", "Output"):
                nested = api.__dict__.get(part)
                if nested is not None:
                    extend_schema_serializer(component_name=f"{api.__name__}{part}")(nested)


_name_nested_serializers()
