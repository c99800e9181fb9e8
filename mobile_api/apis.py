"""The officers' API (/api/mobile/v1/): assignments, checklists, check-in, sync, attachments.

Views are thin: they validate the shape of the input, call one selector or service, and
shape the output. Every rule (who sees what, idempotency, validation against the checklist)
lives in backend/inspections/{selectors,services}.py.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.urls import path
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.checklists import selectors as checklist_selectors
from backend.checklists.services import parsed_definition
from backend.core.errors import DomainError, InvalidInput, NotFound
from backend.core.i18n import pick
from backend.core.parsers import SafeJSONParser
from backend.core.strict_input import DateTimeField, UnknownFieldsRefused
from backend.core.transactions import atomic_retrying
from backend.inspections import selectors, services
from backend.inspections.models import Finding, Inspection, Submission
from backend.inspections.personal_files import served_response
from backend.registry import selectors as registry_selectors
from backend.registry import services as registry_services
from backend.registry.models import Company, ConflictOfInterest, Officer, Site
from mobile_api import feed, services_feed
from mobile_api.authentication import DeviceTokenAuthentication
from mobile_api.logic import definition_logic

BATCH_LIMIT = 200
SEARCH_LIMIT = 8  # of each kind: a few to pick from on a phone, not a registry to page through
# The phone sends JSON, and bodies with nested objects can only be JSON: the schema offers that
# media type alone (DRF's default parsers would also advertise forms, which cannot carry them).
JSON = "application/json"
DEVICE_TIME = OpenApiParameter(
    "X-Device-Time",
    OpenApiTypes.DATETIME,
    OpenApiParameter.HEADER,
    description="the phone's clock at sending, with a zone offset: recorded, never trusted",
)
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"


class IsActiveOfficer(BasePermission):
    """Signed in with a device token, and an active officer."""

    def has_permission(self, request: Request, view: Any) -> bool:
        officer = getattr(request.user, "officer", None) if request.user.is_authenticated else None
        if officer is None or not officer.is_active:
            return False
        request.officer = officer  # type: ignore[attr-defined]
        return True


class MobileApi(APIView):
    authentication_classes = [DeviceTokenAuthentication]
    permission_classes = [IsAuthenticated, IsActiveOfficer]

    @staticmethod
    def officer(request: Request) -> Officer:
        return request.officer  # type: ignore[attr-defined,no-any-return]


def _device_time(request: Request) -> tuple[dt.datetime | None, bool]:
    """The phone's clock at sending (header X-Device-Time, ISO 8601) and whether it was
    unreadable. Recorded, never trusted: so a clock the server cannot read is recorded as absent
    and the work flagged, never a reason to refuse what the officer recorded."""
    raw = request.headers.get("X-Device-Time")
    if not raw:
        return None, False
    try:
        value = parse_datetime(raw)
    except ValueError:  # well formed but impossible, e.g. month 13
        value = None
    if value is None or timezone.is_naive(value):
        return None, True
    return value, False


class StrictUUIDField(serializers.UUIDField):
    """A UUID as a string only: DRF would read the number 12345 as UUID int 12345, and store
    a submission under an id the phone never made."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class CoordinateField(serializers.DecimalField):
    """Degrees as a phone sends them (a double, ``22.198745123456789``), rounded to the column's
    six places (about 11 cm) rather than refused for their precision."""

    def __init__(self, *, bound: int, **kwargs: Any) -> None:
        super().__init__(max_digits=9, decimal_places=6, min_value=-bound, max_value=bound, **kwargs)

    def validate_precision(self, value: Any) -> Any:
        if abs(value) >= 1000:  # no degree; too many digits to round (refused below as such)
            return super().validate_precision(value)
        return super().validate_precision(self.quantize(value))


# --- Cursor for incremental sync ------------------------------------------------------------------


def _held(officer: Officer, raw: str) -> feed.Held:
    """What the phone holds, from its cursor (see mobile_api/feed.py). A cursor of the earlier
    form (a time this server gave out) is still accepted, answered with the full feed."""
    held = services_feed.feed_cursor_recall(officer=officer, cursor=raw)
    if held is not None:
        return held
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        moment = parse_datetime(text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        moment = None
    if moment is None or timezone.is_naive(moment):
        raise InvalidInput(
            "The cursor is not one this server gave out.", errors={"since": ["Invalid cursor."]}
        )
    return feed.Held(None)


# --- Assignments ---------------------------------------------------------------------------------


class SiteBrief(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    kind = serializers.CharField()
    venue_type = serializers.CharField()
    name_en = serializers.CharField()
    name_zh_hant = serializers.CharField()
    name_pt = serializers.CharField()
    address = serializers.CharField(help_text="as registered, usually in Portuguese")
    address_zh_hant = serializers.CharField(help_text="as Chinese writes it; empty where none is known")
    parish = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    opening_hours = serializers.SerializerMethodField()

    def get_opening_hours(self, site: Any) -> list[dict[str, Any]]:
        return [
            {"weekday": h.weekday, "opens": h.opens.strftime("%H:%M"), "closes": h.closes.strftime("%H:%M")}
            for h in site.opening_hours.all()
        ]


class SentBy(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    full_name = serializers.CharField()
    badge_number = serializers.CharField()
    agency = serializers.CharField(source="agency.code")


class SentChecklist(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", help_text="the submission")
    checklist = serializers.UUIDField(source="template_version.uuid", help_text="its checklist version")
    template = serializers.CharField(source="template_version.template.code")
    revision = serializers.IntegerField()
    received_at = serializers.DateTimeField()
    # The team's own work, which teammates already share (submissions/<id>/): the sender named
    # as a teammate knows them, by name, badge and agency, and nothing more of them.
    by = SentBy(source="officer")


class VersionBrief(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    template = serializers.CharField(source="template.code")
    number = serializers.IntegerField()
    digest = serializers.CharField()
    # Filled several times per visit (one per person screened): a teammate's sent one does not
    # stand in for this officer's, so the phone still offers to start it.
    several_per_visit = serializers.BooleanField(source="template.several_per_visit")


class AssignmentOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    category = serializers.CharField()
    status = serializers.CharField()
    priority = serializers.IntegerField()
    window_start = serializers.DateTimeField(source="planned_start")
    window_end = serializers.DateTimeField(source="planned_end")
    route_order = serializers.IntegerField()
    site = SiteBrief()
    operation = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField()
    checklists = serializers.SerializerMethodField()
    sent = serializers.SerializerMethodField(
        help_text="the visit's checklists the server holds, oldest first, and who sent each (their "
        "own or a teammate's phone): a phone offers no second start of one already sent"
    )
    updated_at = serializers.DateTimeField()

    def get_operation(self, inspection: Inspection) -> dict[str, Any] | None:
        op = inspection.operation
        if op is None:
            return None
        # Where the operation's teams gather (its set-up's muster point, none if not planned
        # with the scheduler): names and addresses in each language, as a site's, for the
        # phone to say in the officer's language offline.
        setup = getattr(op, "setup", None)
        unit = setup.muster_unit if setup is not None else None
        muster = None
        if unit is not None:
            muster = {
                "name_en": unit.name_en,
                "name_zh_hant": unit.name_zh_hant,
                "name_pt": unit.name_pt,
                "address": unit.address,
                "address_zh_hant": unit.address_zh_hant,
            }
        return {"id": str(op.uuid), "name": op.name, "muster": muster}

    def get_team(self, inspection: Inspection) -> dict[str, Any] | None:
        team = inspection.team
        if team is None:
            return None
        return {
            "id": str(team.uuid),
            "name": team.name_in(),
            "members": [
                {"id": str(m.uuid), "full_name": m.full_name, "agency": m.agency.code}
                for m in team.members.all()
            ],
        }

    def get_checklists(self, inspection: Inspection) -> list[dict[str, Any]]:
        versions = [inspection.template_version, *inspection.additional_versions.all()]
        return VersionBrief(versions, many=True).data  # type: ignore[return-value]

    @extend_schema_field(SentChecklist(many=True))
    def get_sent(self, inspection: Inspection) -> list[dict[str, Any]]:
        sent = [s for s in inspection.submissions.all() if s.status == Submission.Status.ACCEPTED]
        return SentChecklist(sent, many=True).data  # type: ignore[return-value]


class AssignmentListApi(MobileApi):
    """My assignments: my teams' inspections, once their operation is revealed.

    Pass the `cursor` of the previous answer as `since` to get only what changed since, and the
    ids to drop (`removed`)."""

    @extend_schema(
        operation_id="mobile_v1_assignments_list",
        parameters=[
            OpenApiParameter("since", OpenApiTypes.STR, description="cursor from the previous answer")
        ],
        responses=inline_serializer(
            "AssignmentList",
            {
                "cursor": serializers.CharField(),
                "full": serializers.BooleanField(
                    help_text="the results are everything you hold: replace your assignments with them"
                ),
                "results": AssignmentOutput(many=True),
                "removed": serializers.ListField(
                    child=serializers.UUIDField(),
                    help_text="ids you hold that are no longer yours (moved, taken off the team): drop them",
                ),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        officer, since = self.officer(request), request.query_params.get("since")
        held = _held(officer, since) if since else feed.Held(None)
        inspections = selectors.assignment_list_for_officer(officer=officer, now=timezone.now())
        inspections = inspections.select_related("operation__setup__muster_unit").prefetch_related(
            "additional_versions__template", selectors.sent_checklists()
        )
        items = AssignmentOutput(inspections, many=True).data
        results, removed = feed.changes(held, items)
        cursor = services_feed.feed_cursor_remember(officer=officer, items=items)
        return Response({"cursor": cursor, "full": held.tags is None, "results": results, "removed": removed})


class AssignmentDetailApi(MobileApi):
    @extend_schema(responses=AssignmentOutput)
    def get(self, request: Request, inspection_id: str) -> Response:
        inspection = selectors.assignment_get_for_officer(officer=self.officer(request), uuid=inspection_id)
        prefetch_related_objects([inspection], selectors.sent_checklists())
        return Response(AssignmentOutput(inspection).data)


# --- Checklist versions --------------------------------------------------------------------------


class TemplateVersionApi(MobileApi):
    """A checklist version's definition. Immutable once published, so cache it by its ETag."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "If-None-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="ETags the phone holds",
            )
        ],
        responses={
            200: inline_serializer(
                "TemplateVersion",
                {
                    "id": serializers.UUIDField(),
                    "template": serializers.CharField(),
                    "number": serializers.IntegerField(),
                    "status": serializers.CharField(),
                    "definition": serializers.JSONField(),
                    "logic": serializers.JSONField(
                        help_text="the definition's expressions parsed into trees (see mobile_api/logic.py), "
                        "so a phone evaluates exactly what the server evaluates"
                    ),
                },
            ),
            304: None,
        },
    )
    def get(self, request: Request, version_id: str) -> HttpResponse:
        version = checklist_selectors.template_version_get(user=request.user, uuid=version_id)
        etag = f'"{version.digest}"'
        # Weak comparison (RFC 9110 13.1.2): a proxy that compresses the body may weaken the tag.
        header = request.headers.get("If-None-Match", "")
        candidates = [t.strip().removeprefix("W/") for t in header.split(",")]
        if etag in candidates or "*" in candidates:
            response = HttpResponse(status=304)
        else:
            response = Response(
                {
                    "id": str(version.uuid),
                    "template": version.template.code,
                    "number": version.number,
                    "status": version.status,
                    "definition": version.definition,
                    "logic": definition_logic(parsed_definition(version)),
                }
            )
        response["ETag"] = etag
        response["Cache-Control"] = "private, max-age=0, must-revalidate"
        return response


# --- Check-in ------------------------------------------------------------------------------------


class CheckInApi(MobileApi):
    # Named: other modules' nested "Input" and "Output" would otherwise share one component.
    @extend_schema_serializer(component_name="CheckInInput")
    class Input(serializers.Serializer):
        id = StrictUUIDField()
        latitude = CoordinateField(bound=90)
        longitude = CoordinateField(bound=180)
        accuracy_m = serializers.DecimalField(
            max_digits=8, decimal_places=1, min_value=0, required=False, allow_null=True
        )
        device_time = DateTimeField()

    @extend_schema_serializer(component_name="CheckInOutput")
    class Output(serializers.Serializer):
        id = serializers.UUIDField(source="uuid")
        distance_m = serializers.DecimalField(max_digits=10, decimal_places=1)
        outside_radius = serializers.BooleanField()
        clock_skewed = serializers.BooleanField()
        received_at = serializers.DateTimeField()

    @extend_schema(request={JSON: Input}, parameters=[DEVICE_TIME], responses={201: Output, 200: Output})
    def post(self, request: Request, inspection_id: str) -> Response:
        officer = self.officer(request)
        inspection = selectors.assignment_get_for_officer(officer=officer, uuid=inspection_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        sent_at, clock_unreadable = _device_time(request)
        checkin, created = services.checkin_record(
            officer=officer,
            inspection=inspection,
            data=services.CheckInInput(**data.validated_data),
            sent_at=sent_at,
            clock_unreadable=clock_unreadable,
        )
        return Response(
            self.Output(checkin).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


# --- Submissions ---------------------------------------------------------------------------------


class AttachmentDeclaration(serializers.Serializer):
    name = serializers.RegexField(NAME_PATTERN, max_length=100)
    sha256 = serializers.RegexField(r"^[0-9a-fA-F]{64}$")
    size = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    signature_method = serializers.ChoiceField(
        choices=["drawn", "typed"],
        required=False,
        allow_null=True,
        help_text="a signature's: drawn on the pad, or the signer's name typed with the keyboard "
        "(absent: not said, unknown)",
    )

    def validate_size(self, value: int | None) -> int | None:
        # Declared larger than any upload may be, it could never arrive and the submission would
        # stay incomplete for good: refused now, while the phone can still fix it.
        limit = settings.ATTACHMENT_MAX_BYTES
        if value is not None and value > limit:
            raise serializers.ValidationError(
                gettext("Attachments may be at most %(limit)s bytes.") % {"limit": limit}
            )
        return value


class LocationInput(serializers.Serializer):
    latitude = CoordinateField(bound=90)
    longitude = CoordinateField(bound=180)


class SubmissionInputSerializer(serializers.Serializer):
    id = StrictUUIDField()
    inspection = StrictUUIDField()
    template_version = StrictUUIDField()
    answers = serializers.DictField()
    device_submitted_at = DateTimeField()
    device_started_at = DateTimeField(required=False, allow_null=True)
    replaces = StrictUUIDField(required=False, allow_null=True)
    attachments = AttachmentDeclaration(many=True, required=False)
    location = LocationInput(required=False, allow_null=True)

    def validate_attachments(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        names = [a["name"] for a in value]
        if len(names) != len(set(names)):
            raise serializers.ValidationError("Attachment names must be unique within a submission.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        started = attrs.get("device_started_at")
        if started is not None and started > attrs["device_submitted_at"]:
            raise serializers.ValidationError(
                {"device_started_at": [gettext("The start must not come after the submission.")]}
            )
        return attrs

    def to_input(self) -> services.SubmissionInput:
        return self.input_of(self.validated_data)

    @staticmethod
    def input_of(v: dict[str, Any]) -> services.SubmissionInput:
        location = v.get("location") or {}
        return services.SubmissionInput(
            id=v["id"],
            inspection=v["inspection"],
            template_version=v["template_version"],
            answers=v["answers"],
            device_submitted_at=v["device_submitted_at"],
            device_started_at=v.get("device_started_at"),
            replaces=v.get("replaces"),
            attachments=tuple(services.DeclaredAttachment(**a) for a in v.get("attachments", [])),
            latitude=location.get("latitude"),
            longitude=location.get("longitude"),
        )


class FindingOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    rule = serializers.CharField(source="rule_code")
    violation_code = serializers.CharField()
    severity = serializers.CharField()
    legal_basis = serializers.CharField()
    competent_agency = serializers.CharField(source="competent_agency_code")
    title = serializers.JSONField()
    entry = serializers.CharField(source="entry_path")
    potential_victim = serializers.BooleanField()
    status = serializers.CharField()


class SubmissionOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    inspection = serializers.UUIDField(source="inspection.uuid")
    template_version = serializers.UUIDField(source="template_version.uuid")
    revision = serializers.IntegerField()
    replaces = serializers.SerializerMethodField()
    status = serializers.CharField()
    received_at = serializers.DateTimeField()
    clock_skewed = serializers.BooleanField()
    complete = serializers.SerializerMethodField()
    missing_attachments = serializers.SerializerMethodField()
    score = serializers.JSONField()
    findings = serializers.SerializerMethodField()

    def get_replaces(self, s: Submission) -> str | None:
        return str(s.replaces.uuid) if s.replaces_id else None

    def get_complete(self, s: Submission) -> bool:
        return not self.get_missing_attachments(s)

    def get_missing_attachments(self, s: Submission) -> list[str]:
        return sorted(a.name for a in s.attachments.all() if a.received_at is None)

    def get_findings(self, s: Submission) -> list[dict[str, Any]]:
        findings: list[Finding] = sorted(s.findings.all(), key=lambda f: f.pk)
        # One findings serializer for every submission this one renders (a batch's): its fields
        # are built once.
        if not hasattr(self, "_findings_output"):
            self._findings_output = FindingOutput(many=True)
        return self._findings_output.to_representation(findings)  # type: ignore[no-any-return]


def _problem(exc: Exception) -> tuple[int, Any]:
    from backend.core.errors import problem_exception_handler

    response = problem_exception_handler(exc, {})
    assert response is not None
    return response.status_code, response.data


# One serializer of each, built once per process: building a serializer's fields (a deep copy of
# every declared field) cost more than checking or rendering a submission with them (profiled: a
# fifth of a single submission's CPU). Neither keeps state between uses: the checker is used
# through run_validation, the renderer through to_representation (never .data or .errors), so
# the threads of a web process share them.
_CHECKER = SubmissionInputSerializer()
_RENDERER = SubmissionOutput(many=True)


def _parsed(data: Any) -> services.SubmissionInput | tuple[int, Any]:
    """One item's shape checked: its input for the service, or the problem that refuses it."""
    if not isinstance(data, dict):
        serializer = SubmissionInputSerializer(data=data)  # refused as the framework words it
        try:
            serializer.is_valid(raise_exception=True)
        except serializers.ValidationError as exc:
            return _problem(exc)
        return serializer.to_input()
    try:
        return SubmissionInputSerializer.input_of(_CHECKER.run_validation(data))
    except serializers.ValidationError as exc:
        return _problem(exc)


def _answers(outcomes: list[services.IngestResult | DomainError]) -> list[tuple[int, Any]]:
    """(HTTP status, body) of each item: the stored submission as it stands, or the problem."""
    stored = [o for o in outcomes if not isinstance(o, DomainError)]
    bodies = iter(_RENDERER.to_representation([o.submission for o in stored]))
    return [
        _problem(o)
        if isinstance(o, DomainError)
        else ((status.HTTP_201_CREATED if o.created else status.HTTP_200_OK), next(bodies))
        for o in outcomes
    ]


RACES_RUN_AGAIN = 3


def _ingest_all(request: Request, officer: Officer, inputs: list[services.SubmissionInput]) -> list[Any]:
    """The items through the service in one transaction, answered each on its own. A deadlock
    with another writer rolls them back whole, and they are run again; so does a race lost on a
    submission's id (a concurrent request stored it first), and the run again answers it as a
    replay, or on a visit's checklist (a teammate's first one committed first), and the run
    again refuses it (409 checklist_already_sent)."""
    sent_at, clock_unreadable = _device_time(request)

    def work() -> list[Any]:
        outcomes = services.submissions_ingest(
            officer=officer,
            items=inputs,
            sent_at=sent_at,
            clock_unreadable=clock_unreadable,
            request=request,
            retried_whole=True,
        )
        return _answers(outcomes)

    for attempt in range(1, RACES_RUN_AGAIN + 1):
        try:
            return atomic_retrying(work)
        except IntegrityError:
            if attempt == RACES_RUN_AGAIN:
                raise  # not a race on an id, which the run again would have answered
    raise AssertionError("unreachable")


class SubmissionCreateApi(MobileApi):
    """Send one submission. The same id with the same content answers 200 as the first time;
    with other content 409, and the stored one is unchanged."""

    # JSON alone: nested answers cannot travel as form fields, so a form body is a 415.
    parser_classes: list[Any] = [SafeJSONParser]

    @extend_schema(
        request={JSON: SubmissionInputSerializer},
        parameters=[DEVICE_TIME],
        responses={201: SubmissionOutput, 200: SubmissionOutput},
    )
    def post(self, request: Request) -> Response:
        parsed = _parsed(request.data)
        if isinstance(parsed, tuple):
            code, body = parsed
        else:
            ((code, body),) = _ingest_all(request, self.officer(request), [parsed])
        response = Response(body, status=code)
        if code >= 400:
            response.content_type = "application/problem+json"
        return response


class SubmissionBatchApi(MobileApi):
    """Send up to 200 queued submissions at once. Each item is handled on its own: a bad item is
    reported with its errors and does not block the others."""

    # JSON alone: nested answers cannot travel as form fields, so a form body is a 415.
    parser_classes: list[Any] = [SafeJSONParser]

    class Input(serializers.Serializer):
        # Items are not checked here: one that is not even an object is reported on its own.
        items = serializers.ListField(min_length=1, max_length=BATCH_LIMIT)

    @extend_schema(
        request={JSON: inline_serializer("SubmissionBatch", {"items": SubmissionInputSerializer(many=True)})},
        parameters=[DEVICE_TIME],
        responses=inline_serializer(
            "SubmissionBatchResult",
            {
                "results": inline_serializer(
                    "SubmissionBatchItem",
                    {
                        "id": serializers.CharField(),
                        "status": serializers.IntegerField(),
                        "body": serializers.JSONField(),
                    },
                    many=True,
                )
            },
        ),
    )
    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        items = data.validated_data["items"]

        def item_id(item: Any) -> str:
            return str(item.get("id", "")) if isinstance(item, dict) else ""

        answers: list[Any] = [_parsed(item) for item in items]
        # Stored in the order of their ids, whatever order the phone sent: two batches holding
        # the same new items then take their locks in one order and never deadlock.
        valid = sorted(
            (i for i, a in enumerate(answers) if not isinstance(a, tuple)),
            key=lambda i: (item_id(items[i]), i),
        )
        if valid:
            # One transaction and a fixed number of statements for all the items; a refused
            # item refuses only itself (it writes nothing before it is known to be good).
            stored = _ingest_all(request, self.officer(request), [answers[i] for i in valid])
            for index, answer in zip(valid, stored, strict=True):
                answers[index] = answer
        return Response(
            {
                "results": [
                    {"id": item_id(item), "status": code, "body": body}
                    for item, (code, body) in zip(items, answers, strict=True)
                ]
            }
        )


class AttachmentBrief(serializers.Serializer):
    name = serializers.CharField()
    received = serializers.BooleanField(help_text="its bytes have arrived")
    signature_method = serializers.ChoiceField(
        choices=["drawn", "typed"],
        allow_null=True,
        help_text="a signature's: drawn, or typed (a name typed with the keyboard); null: not said",
    )


class SubmissionReadBack(SubmissionOutput):
    """One submission read back: what a POST answers, and, for the officer who sent it, what was
    stored of it, so another of their phones (or theirs after a sign-out) can show it. Answers as
    stored: a screened person's identifying answers are coded there (``backend/privacy/screening``)
    and never leave the protected store this way. A teammate reads the status and findings only
    (``answers`` null): who sent a checklist is the one to read its answers back."""

    answers = serializers.SerializerMethodField()
    # Its files as declared: whether each has arrived, and how a signature was made, so another
    # phone reading it back says a typed one was typed.
    attachments = serializers.SerializerMethodField()

    @extend_schema_field(serializers.JSONField(allow_null=True))
    def get_answers(self, s: Submission) -> Any:
        return selectors.submission_answers_for_officer(officer=self.context["officer"], submission=s)

    @extend_schema_field(AttachmentBrief(many=True))
    def get_attachments(self, s: Submission) -> list[dict[str, Any]]:
        methods = s.signature_methods or {}
        return [
            {"name": a.name, "received": a.received_at is not None, "signature_method": methods.get(a.name)}
            for a in sorted(s.attachments.all(), key=lambda a: a.name)
        ]


class SubmissionDetailApi(MobileApi):
    """One submission of the officer's assignments (theirs or a teammate's, while the visit is
    theirs): its status and findings, and its answers to the officer who sent it."""

    @extend_schema(responses=SubmissionReadBack)
    def get(self, request: Request, submission_id: str) -> Response:
        officer = self.officer(request)
        submission = selectors.submission_get_for_officer(officer=officer, uuid=submission_id)
        return Response(SubmissionReadBack(submission, context={"officer": officer}).data)


class AttachmentApi(MobileApi):
    """PUT the bytes of a declared attachment (any Content-Type; the content is sniffed);
    GET the served copy (photos without their metadata)."""

    parser_classes: list[Any] = []  # the body is read as a stream, never parsed

    @extend_schema_serializer(component_name="AttachmentReceipt")
    class Output(serializers.Serializer):
        name = serializers.CharField()
        sha256 = serializers.CharField()
        size = serializers.IntegerField()
        content_type = serializers.CharField()
        submission_complete = serializers.BooleanField()

    @extend_schema(
        request={"application/octet-stream": OpenApiTypes.BINARY}, responses={201: Output, 200: Output}
    )
    def put(self, request: Request, submission_id: str, name: str) -> Response:
        officer = self.officer(request)
        submission = selectors.submission_get_for_officer(officer=officer, uuid=submission_id)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) or None
        except ValueError:
            length = None
        stream = request._request  # the raw WSGI stream: bodies above Django's in-memory limit are fine

        def chunks() -> Any:
            while True:
                chunk = stream.read(64 * 1024)
                if not chunk:
                    return
                yield chunk

        attachment, created = services.attachment_store(
            officer=officer, submission=submission, name=name, chunks=chunks(), content_length=length
        )
        submission = selectors.submission_get_for_officer(officer=officer, uuid=submission_id)
        body = {
            "name": attachment.name,
            "sha256": attachment.sha256,
            "size": attachment.size,
            "content_type": attachment.content_type,
            "submission_complete": not any(a.received_at is None for a in submission.attachments.all()),
        }
        return Response(
            self.Output(body).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    # Served as what the bytes are (sniffed on upload), never as a generic octet stream.
    @extend_schema(
        responses={
            (200, content_type): OpenApiTypes.BINARY for content_type in services.ATTACHMENT_CONTENT_TYPES
        }
    )
    def get(self, request: Request, submission_id: str, name: str) -> HttpResponseBase:
        submission = selectors.submission_get_for_officer(officer=self.officer(request), uuid=submission_id)
        attachment = next((a for a in submission.attachments.all() if a.name == name), None)
        if attachment is None or attachment.received_at is None:
            raise NotFound()
        response = served_response(attachment)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Disposition"] = "inline"
        # A person's card or signature is never kept in the phone's cache.
        response["Cache-Control"] = "private, no-store" if attachment.personal else "private, max-age=3600"
        return response


# --- Conflicts of interest -----------------------------------------------------------------------
# An inspector's only way in is the phone's token, so the declaration the scheduler must honour
# (a cousin who manages the karaoke) is made here as /api/v1/me/conflicts/ makes it, through the
# same service; the phone finds the site or company to name by a search of the registry.


def _address_line(site: Site) -> str:
    # Chinese readers get the Chinese form where the registry has one, as the phone shows a visit.
    if (translation.get_language() or "").lower().startswith("zh") and site.address_zh_hant:
        return site.address_zh_hant
    return site.address


def _address_lines(site: Site) -> dict[str, str]:
    # As _address_line, in each of the phone's languages.
    return {"en": site.address, "zh-hant": site.address_zh_hant or site.address, "pt": site.address}


@extend_schema_serializer(component_name="InThreeLanguages")
class InThreeLanguages(serializers.Serializer):
    """A text in each of the phone's languages (the keys of a checklist definition's texts)."""

    en = serializers.CharField()
    zh_hant = serializers.CharField(label="zh-hant")
    pt = serializers.CharField()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["zh-hant"] = fields.pop("zh_hant")
        return fields


@extend_schema_serializer(component_name="RegistryMatch")
class RegistryMatch(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    kind = serializers.ChoiceField(choices=["site", "company"])
    name = serializers.CharField(help_text="in the request's language (Accept-Language)")
    address = serializers.CharField(help_text="a site's address line; empty for a company")
    names = InThreeLanguages(
        help_text="the name in each language (`en`, `zh-hant`, `pt`; English where the registry has "
        "none in that language), so one answer names it whatever language the phone switches to, "
        "offline too"
    )
    addresses = InThreeLanguages(
        help_text="the address line in each language (the Chinese form where the registry has one, "
        "otherwise the address as registered); empty for a company"
    )

    def to_representation(self, instance: Site | Company) -> dict[str, Any]:
        site = isinstance(instance, Site)
        return {
            "id": str(instance.uuid),
            "kind": "site" if site else "company",
            "name": instance.name,
            "address": _address_line(instance) if site else "",  # type: ignore[arg-type]
            "names": {
                language: pick(
                    en=instance.name_en,
                    zh_hant=instance.name_zh_hant,
                    pt=instance.name_pt,
                    language=language,
                )
                for language in ("en", "zh-hant", "pt")
            },
            "addresses": _address_lines(instance)  # type: ignore[arg-type]
            if site
            else {"en": "", "zh-hant": "", "pt": ""},
        }


@extend_schema_serializer(component_name="MobileConflict")
class ConflictEntry(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", help_text="the id the phone made, or the server's")
    target = serializers.SerializerMethodField(help_text="the site or company the tie is to")
    reason = serializers.CharField()
    declared_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(
        allow_null=True, help_text="when the officer withdrew it (the tie ended); null while it stands"
    )

    @extend_schema_field(RegistryMatch)
    def get_target(self, row: ConflictOfInterest) -> dict[str, Any]:
        return RegistryMatch(row.site or row.company).data  # type: ignore[return-value]


class RegistrySearchApi(MobileApi):
    """Active sites and companies whose name in English, Chinese or Portuguese contains `q`: a
    few of each, to name in a declaration of a conflict of interest."""

    @extend_schema_serializer(component_name="RegistrySearchQuery")
    class Query(serializers.Serializer):
        q = serializers.CharField(max_length=100)

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True, description="part of a name")],
        responses=inline_serializer("RegistrySearch", {"results": RegistryMatch(many=True)}),
    )
    def get(self, request: Request) -> Response:
        query = self.Query(data={"q": request.query_params.get("q", "")})
        query.is_valid(raise_exception=True)
        sites, companies = registry_selectors.registry_search(
            user=request.user, query=query.validated_data["q"], limit=SEARCH_LIMIT
        )
        return Response({"results": RegistryMatch([*sites, *companies], many=True).data})


class MyConflictsApi(MobileApi):
    """The signed-in officer's own declarations of conflicts of interest, newest first, withdrawn
    ones too (marked); POST declares one (a site or a company, and the tie). `id`, made by the
    phone, makes a replay harmless: the declaration already stored under it is answered. Declaring
    a site or company whose declaration stands records nothing new and answers that one."""

    parser_classes: list[Any] = [SafeJSONParser]

    @extend_schema_serializer(component_name="MobileConflictInput")
    class Input(UnknownFieldsRefused, serializers.Serializer):
        id = StrictUUIDField(required=False, help_text="made by the phone: a replay is stored once")
        site = StrictUUIDField(required=False, allow_null=True)
        company = StrictUUIDField(required=False, allow_null=True)
        reason = serializers.CharField(max_length=300)

    @extend_schema(
        operation_id="mobile_v1_me_conflicts_list",
        responses=inline_serializer("MobileConflictList", {"results": ConflictEntry(many=True)}),
    )
    def get(self, request: Request) -> Response:
        rows = registry_selectors.conflict_list(user=request.user, officer=self.officer(request))
        rows = rows.order_by("-declared_at", "-pk")
        return Response({"results": ConflictEntry(rows, many=True).data})

    @extend_schema(request={JSON: Input}, responses={201: ConflictEntry})
    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        site = company = None
        if site_id := data.validated_data.get("site"):
            site = registry_selectors.site_list(user=request.user).filter(uuid=site_id).first()
            if site is None:
                raise InvalidInput(errors={"site": [gettext("No site of the registry has this id.")]})
        if company_id := data.validated_data.get("company"):
            company = registry_selectors.company_list(user=request.user).filter(uuid=company_id).first()
            if company is None:
                raise InvalidInput(errors={"company": [gettext("No company of the registry has this id.")]})
        row = registry_services.conflict_declare(
            actor=request.user,
            officer=self.officer(request),
            site=site,
            company=company,
            reason=data.validated_data["reason"],
            uuid=data.validated_data.get("id"),
            request=request,
        )
        return Response(ConflictEntry(row).data, status=status.HTTP_201_CREATED)


class MyConflictWithdrawApi(MobileApi):
    """The officer withdraws one of their own declarations (the tie has ended): it is kept, marked
    withdrawn, and the planners' scheduler no longer honours it. Another officer's is 404;
    withdrawing one already withdrawn answers it unchanged."""

    @extend_schema(request=None, responses={200: ConflictEntry})
    def post(self, request: Request, conflict_id: str) -> Response:
        row = registry_selectors.conflict_get(
            user=request.user, officer=self.officer(request), uuid=conflict_id
        )
        row = registry_services.conflict_withdraw(actor=request.user, conflict=row, request=request)
        return Response(ConflictEntry(row).data)


urlpatterns = [
    path("assignments/", AssignmentListApi.as_view(), name="mobile-assignments"),
    path("assignments/<str:inspection_id>/", AssignmentDetailApi.as_view(), name="mobile-assignment"),
    path("assignments/<str:inspection_id>/check-ins/", CheckInApi.as_view(), name="mobile-check-in"),
    path("templates/<str:version_id>/", TemplateVersionApi.as_view(), name="mobile-template-version"),
    path("submissions/", SubmissionCreateApi.as_view(), name="mobile-submissions"),
    path("submissions/batch/", SubmissionBatchApi.as_view(), name="mobile-submission-batch"),
    path("submissions/<str:submission_id>/", SubmissionDetailApi.as_view(), name="mobile-submission"),
    path(
        "submissions/<str:submission_id>/attachments/<str:name>",
        AttachmentApi.as_view(),
        name="mobile-attachment",
    ),
    path("me/conflicts/", MyConflictsApi.as_view(), name="mobile-my-conflicts"),
    path(
        "me/conflicts/<str:conflict_id>/withdraw/",
        MyConflictWithdrawApi.as_view(),
        name="mobile-my-conflict-withdraw",
    ),
    path("registry/search/", RegistrySearchApi.as_view(), name="mobile-registry-search"),
]
