"""The planner's API (/api/v1/planning/): operations and programmes, planning runs, the draft
plan, edits, publishing, and team briefings. Planners only; an operation's planners alone see
it before its reveal time (and every such read is audited)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.access import principal_for
from backend.core.errors import NotFound
from backend.core.query_parameters import KnownQueryParameters
from backend.core.strict_input import DateTimeField, UnknownFieldsRefused
from backend.inspections.models import Operation
from backend.outbox.models import WAITING_NOTICE_SECONDS
from backend.registry.models import Agency, Officer, Role, Site, Skill, Unit
from scheduler import selectors, services
from scheduler.models import PlanningJob


class IsPlanner(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        principal = principal_for(request.user)
        return principal.is_superuser or (principal.is_officer and principal.has_role(Role.PLANNER))


class PlannerApi(APIView):
    permission_classes = [IsAuthenticated, IsPlanner]

    @staticmethod
    def officer(request: Request) -> Officer | None:
        return getattr(request.user, "officer", None)


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise NotFound(f"No agency {code!r}.")
    return agency


def _rule_codes_known(values: dict[str, Any]) -> None:
    """Refuse a team rule that names an agency or a skill the registry does not hold, each named
    on its field, as an unknown agency is refused: stored, a typo ("PSPP") made a rule no team can
    meet, and every plan broke it. The console's form offers the registry's alone."""
    errors: dict[str, list[str]] = {}
    for field, model in (("required_agencies", Agency), ("required_skills", Skill)):
        codes = set(values.get(field) or ())
        unknown = codes - set(model.objects.filter(code__in=codes).values_list("code", flat=True))
        if unknown:
            errors[field] = sorted(unknown)
    if errors:
        raise NotFound("Unknown agencies or skills in the team rule.", errors=errors)


# --- Operations -----------------------------------------------------------------------------------


class WaveInput(UnknownFieldsRefused, serializers.Serializer):
    code = serializers.SlugField(max_length=20)
    starts_at = DateTimeField()


class OperationInput(UnknownFieldsRefused, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    lead_agency = serializers.CharField()
    agencies = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    reveal_at = DateTimeField()
    muster_unit = serializers.CharField()
    waves = WaveInput(many=True, required=False, default=list)
    team_min_size = serializers.IntegerField(min_value=1, max_value=20, default=2)
    team_max_size = serializers.IntegerField(min_value=1, max_value=20, default=5)
    required_agencies = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    required_skills = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    female_officer = serializers.BooleanField(default=True)
    min_leader_rank = serializers.IntegerField(min_value=1, max_value=10, required=False, allow_null=True)
    visit_minutes = serializers.IntegerField(min_value=5, max_value=600, default=45)
    sync_tolerance_minutes = serializers.IntegerField(min_value=0, max_value=120, default=10)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if not data["reveal_at"] <= data["starts_at"] < data["ends_at"]:
            raise serializers.ValidationError(
                "The reveal time must come before the start, and the start before the end."
            )
        return data


class OperationOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    name = serializers.CharField()
    status = serializers.CharField()
    lead_agency = serializers.CharField(source="lead_agency.code")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reveal_at = serializers.DateTimeField()
    targets = serializers.SerializerMethodField()
    waves = serializers.SerializerMethodField()

    def get_targets(self, op: Operation) -> list[dict[str, Any]]:
        return [
            {
                "site": str(t.site.uuid),
                "name": t.site.name_en,
                "wave": t.wave.code if t.wave_id else None,
                "priority": t.priority,
                "chosen_by": t.chosen_by,
                "draw_seed": t.draw_seed,
            }
            for t in op.targets.select_related("site", "wave")
        ]

    def get_waves(self, op: Operation) -> list[dict[str, Any]]:
        return [{"code": w.code, "starts_at": w.starts_at} for w in op.waves.all()]


class OperationListApi(KnownQueryParameters, PlannerApi):
    @extend_schema(responses=OperationOutput(many=True))
    def get(self, request: Request) -> Response:
        operations = selectors.planned_operation_list_read(user=request.user, request=request)
        return Response(OperationOutput(operations, many=True).data)

    @extend_schema(request=OperationInput, responses={201: OperationOutput})
    def post(self, request: Request) -> Response:
        data = OperationInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        planner = self.officer(request)
        if planner is None:
            raise NotFound("Only an officer can plan an operation.")
        _rule_codes_known(v)
        muster = Unit.objects.filter(code=v.pop("muster_unit")).first()
        if muster is None:
            raise NotFound("No such unit.")
        operation = services.operation_plan_create(
            actor=request.user,
            planner=planner,
            lead_agency=_agency(v.pop("lead_agency")),
            agencies=[_agency(c) for c in v.pop("agencies")],
            waves=[(w["code"], w["starts_at"]) for w in v.pop("waves")],
            muster_unit=muster,
            **v,
        )
        return Response(OperationOutput(operation).data, status=status.HTTP_201_CREATED)


class TargetEditInput(UnknownFieldsRefused, serializers.Serializer):
    site = serializers.UUIDField()
    wave = serializers.SlugField(required=False, allow_null=True, default=None)
    priority = serializers.IntegerField(min_value=1, max_value=5, default=3)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=10), required=False, default=list
    )
    category = serializers.ChoiceField(choices=list(services.CHECKLISTS), default="prostitution_trafficking")


class OperationUpdateInput(UnknownFieldsRefused, serializers.Serializer):
    """Every field optional; ``waves`` and ``targets`` replace the whole list."""

    name = serializers.CharField(max_length=200, required=False)
    starts_at = DateTimeField(required=False)
    ends_at = DateTimeField(required=False)
    reveal_at = DateTimeField(required=False)
    muster_unit = serializers.CharField(required=False)
    waves = WaveInput(many=True, required=False)
    targets = TargetEditInput(many=True, required=False)
    team_min_size = serializers.IntegerField(min_value=1, max_value=20, required=False)
    team_max_size = serializers.IntegerField(min_value=1, max_value=20, required=False)
    required_agencies = serializers.ListField(child=serializers.CharField(), required=False)
    required_skills = serializers.ListField(child=serializers.CharField(), required=False)
    female_officer = serializers.BooleanField(required=False)
    min_leader_rank = serializers.IntegerField(min_value=1, max_value=10, required=False, allow_null=True)
    visit_minutes = serializers.IntegerField(min_value=5, max_value=600, required=False)
    sync_tolerance_minutes = serializers.IntegerField(min_value=0, max_value=120, required=False)


class OperationDetailApi(PlannerApi):
    @extend_schema(responses=OperationOutput)
    def get(self, request: Request, operation_id: str) -> Response:
        operation = selectors.planned_operation_get(user=request.user, uuid=operation_id, request=request)
        return Response(OperationOutput(operation).data)

    @extend_schema(request=OperationUpdateInput, responses=OperationOutput)
    def patch(self, request: Request, operation_id: str) -> Response:
        """Edit a draft operation; a published one answers 409 ``operation_published``."""
        operation = selectors.planned_operation_get(user=request.user, uuid=operation_id, request=request)
        data = OperationUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        _rule_codes_known(v)
        if "muster_unit" in v:
            v["muster_unit"] = Unit.objects.filter(code=v["muster_unit"]).first()
            if v["muster_unit"] is None:
                raise NotFound("No such unit.", errors={"muster_unit": ["Unknown unit."]})
        if "waves" in v:
            v["waves"] = [(w["code"], w["starts_at"]) for w in v["waves"]]
        if "targets" in v:
            # Active sites alone, as adding targets (POST targets/) and the console's list take
            # them: a closed venue named here became a target the teams were sent to.
            wanted = [t["site"] for t in v["targets"]]
            sites = {s.uuid: s for s in Site.objects.filter(uuid__in=wanted, is_active=True)}
            missing = sorted(str(t["site"]) for t in v["targets"] if t["site"] not in sites)
            if missing:
                raise NotFound("Unknown or inactive sites.", errors={"targets": missing})
            v["targets"] = [{**t, "site": sites[t["site"]]} for t in v["targets"]]
        operation = services.operation_plan_update(actor=request.user, operation=operation, **v)
        return Response(OperationOutput(operation).data)


class OperationTargetsApi(PlannerApi):
    """Add targets: an explicit list of sites, or a selection (kinds, venue types, parishes,
    minimum risk, at most ``limit`` riskiest first)."""

    @extend_schema_serializer(component_name="OperationTargetsInput")
    class Input(UnknownFieldsRefused, serializers.Serializer):
        sites = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
        kinds = serializers.ListField(
            child=serializers.ChoiceField(choices=Site.Kind.choices), required=False, default=list
        )
        venue_types = serializers.ListField(
            child=serializers.ChoiceField(choices=Site.VenueType.choices), required=False, default=list
        )
        parishes = serializers.ListField(child=serializers.CharField(), required=False, default=list)
        min_risk = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
        limit = serializers.IntegerField(min_value=1, max_value=500, default=50)
        wave = serializers.SlugField(required=False, allow_null=True)
        priority = serializers.IntegerField(min_value=1, max_value=5, default=3)
        languages = serializers.ListField(
            child=serializers.CharField(max_length=10), required=False, default=list
        )
        category = serializers.ChoiceField(
            choices=list(services.CHECKLISTS), default="prostitution_trafficking"
        )
        random_share = serializers.IntegerField(
            min_value=0,
            max_value=100,
            required=False,
            help_text="Percent of a selection drawn at random among the other matching sites "
            "(default: the SCHEDULER_RANDOM_SHARE_PERCENT policy).",
        )
        seed = serializers.IntegerField(
            min_value=0, max_value=2**31 - 1, required=False, help_text="Seed of the draw (default: random)."
        )

        def validate(self, data: dict[str, Any]) -> dict[str, Any]:
            if not data["sites"] and not (data["kinds"] or data["venue_types"] or data["parishes"]):
                raise serializers.ValidationError(
                    "Name sites, or a selection of kinds, venue types or parishes."
                )
            return data

    @extend_schema(request=Input, responses=OperationOutput)
    def post(self, request: Request, operation_id: str) -> Response:
        operation = selectors.planned_operation_get(user=request.user, uuid=operation_id, request=request)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        target = {k: v[k] for k in ("priority", "languages", "category")} | {"wave": v.get("wave")}
        if v["sites"]:
            sites = list(Site.objects.filter(uuid__in=v["sites"], is_active=True))
            missing = {str(u) for u in v["sites"]} - {str(s.uuid) for s in sites}
            if missing:
                raise NotFound("Unknown or inactive sites.", errors={"sites": sorted(missing)})
            services.operation_targets_set(actor=request.user, operation=operation, sites=sites, **target)
        else:
            selection = services.site_draw(
                kinds=v["kinds"],
                venue_types=v["venue_types"],
                parishes=v["parishes"],
                min_risk=v.get("min_risk"),
                limit=v["limit"],
                random_share_percent=v.get("random_share"),
                seed=v.get("seed"),
            )
            services.operation_targets_draw(
                actor=request.user, operation=operation, selection=selection, **target
            )
        return Response(OperationOutput(operation).data)


# --- Programmes -----------------------------------------------------------------------------------


class ProgrammeOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    name = serializers.CharField()
    agency = serializers.CharField(source="agency.code")
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    status = serializers.CharField()
    work_in_pairs = serializers.BooleanField()


class ProgrammeListApi(KnownQueryParameters, PlannerApi):
    @extend_schema_serializer(component_name="ProgrammeCreateInput")
    class Input(UnknownFieldsRefused, serializers.Serializer):
        name = serializers.CharField(max_length=200)
        agency = serializers.CharField()
        start_date = serializers.DateField()
        end_date = serializers.DateField()
        officers = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
        work_in_pairs = serializers.BooleanField(default=True)

    @extend_schema(responses=ProgrammeOutput(many=True))
    def get(self, request: Request) -> Response:
        return Response(ProgrammeOutput(selectors.programme_list(user=request.user), many=True).data)

    @extend_schema(request=Input, responses={201: ProgrammeOutput})
    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        planner = self.officer(request)
        if planner is None:
            raise NotFound("Only an officer can plan a programme.")
        officers = list(Officer.objects.filter(uuid__in=v["officers"], is_active=True))
        # An id that names no active officer was dropped: a list of mistyped ids left the
        # programme none, and it planned with every inspector of the agency (an empty list's
        # meaning); a leaver's left it planning with nobody. Refused as unknown sites are.
        missing = {str(u) for u in v["officers"]} - {str(o.uuid) for o in officers}
        if missing:
            raise NotFound("Unknown or inactive officers.", errors={"officers": sorted(missing)})
        programme = services.programme_create(
            actor=request.user,
            planner=planner,
            name=v["name"],
            agency=_agency(v["agency"]),
            start_date=v["start_date"],
            end_date=v["end_date"],
            officers=officers,
            work_in_pairs=v["work_in_pairs"],
        )
        return Response(ProgrammeOutput(programme).data, status=status.HTTP_201_CREATED)


# --- Planning runs and plans ----------------------------------------------------------------------


class JobOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    status = serializers.CharField()
    progress = serializers.FloatField()
    waiting_for_worker = serializers.BooleanField(
        source="waiting_long",
        read_only=True,
        help_text="True while the run is queued and no planning worker has taken it for longer than "
        f"a free one takes to start it ({WAITING_NOTICE_SECONDS} s): every worker is busy, or none is "
        "running. The run is kept and starts by itself when one is free or back; false once it starts.",
    )
    best_objective = serializers.FloatField(allow_null=True)
    time_limit_seconds = serializers.IntegerField()
    seed = serializers.IntegerField()
    error = serializers.SerializerMethodField(help_text="Why the run failed, in the reader's language.")
    lower_bound = serializers.SerializerMethodField(
        help_text="Joint operations: a proven lower bound on the plan's objective (priority of targets "
        "left out × 1000 + minutes of travel + officers deployed); null for programmes."
    )
    gap = serializers.SerializerMethodField(
        help_text="(objective − lower bound) / objective of the plan: 0 is proven optimal; null without "
        "a bound or when the plan breaks rules."
    )
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    heartbeat_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)

    def get_error(self, job: PlanningJob) -> str:
        return gettext(job.error) if job.error else ""

    def get_lower_bound(self, job: PlanningJob) -> float | None:
        bound = selectors.bound_view(job)
        return bound["lower_bound"] if bound else None

    def get_gap(self, job: PlanningJob) -> float | None:
        bound = selectors.bound_view(job)
        return bound["gap"] if bound else None


class PlanStartInput(UnknownFieldsRefused, serializers.Serializer):
    time_limit_seconds = serializers.IntegerField(min_value=1, required=False)
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, default=1)


def _subject(request: Request, kind: str, subject_id: str) -> dict[str, Any]:
    if kind not in ("operations", "programmes"):
        raise NotFound()
    if kind == "operations":
        return {
            "operation": selectors.planned_operation_get(user=request.user, uuid=subject_id, request=request)
        }
    return {"programme": selectors.programme_get(user=request.user, uuid=subject_id)}


class PlanStartApi(PlannerApi):
    """Start planning in the background; follow the returned job."""

    @extend_schema(request=PlanStartInput, responses={202: JobOutput})
    def post(self, request: Request, kind: str, subject_id: str) -> Response:
        subject = _subject(request, kind, subject_id)
        data = PlanStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.planning_start(actor=request.user, **subject, **data.validated_data)
        job.refresh_from_db()
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class JobApi(PlannerApi):
    @extend_schema(responses=JobOutput)
    def get(self, request: Request, job_id: str) -> Response:
        return Response(JobOutput(selectors.job_get(user=request.user, uuid=job_id)).data)


class JobCancelApi(PlannerApi):
    @extend_schema(request=None, responses=JobOutput)
    def post(self, request: Request, job_id: str) -> Response:
        job = services.planning_cancel(
            actor=request.user, job=selectors.job_get(user=request.user, uuid=job_id)
        )
        return Response(JobOutput(job).data)


def _latest(request: Request, kind: str, subject_id: str) -> PlanningJob:
    job = selectors.latest_job(**_subject(request, kind, subject_id))
    if job is None:
        raise NotFound("No plan yet: start planning first.")
    return job


class PlanApi(PlannerApi):
    @extend_schema(responses=dict)
    def get(self, request: Request, kind: str, subject_id: str) -> Response:
        return Response(selectors.plan_view(_latest(request, kind, subject_id)))


class PlanMoveApi(PlannerApi):
    """Move (and pin) a visit to another route, or out of the plan; the plan is re-evaluated."""

    @extend_schema_serializer(component_name="PlanMoveInput")
    class Input(UnknownFieldsRefused, serializers.Serializer):
        visit = serializers.CharField(max_length=64)
        to_route = serializers.IntegerField(min_value=0, allow_null=True)
        position = serializers.IntegerField(min_value=0, required=False, allow_null=True)

    @extend_schema(request=Input, responses=dict)
    def post(self, request: Request, kind: str, subject_id: str) -> Response:
        job = _latest(request, kind, subject_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        job = services.plan_move(
            actor=request.user,
            job=job,
            visit_id=v["visit"],
            to_route=v["to_route"],
            position=v.get("position"),
        )
        return Response(selectors.plan_view(job))


class PlanOfficerMoveApi(PlannerApi):
    """Move an officer from one team (``from_route``, null: an officer the plan leaves out) to
    another (``to_route``, null: out of the team); both teams are re-timed and the plan is
    re-evaluated. Routes are numbered from 0, as the plan's ``routes``."""

    @extend_schema_serializer(component_name="PlanOfficerMoveInput")
    class Input(UnknownFieldsRefused, serializers.Serializer):
        officer = serializers.UUIDField()
        from_route = serializers.IntegerField(min_value=0, allow_null=True)
        to_route = serializers.IntegerField(min_value=0, allow_null=True)

    @extend_schema(request=Input, responses=dict)
    def post(self, request: Request, kind: str, subject_id: str) -> Response:
        job = _latest(request, kind, subject_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        job = services.plan_officer_move(
            actor=request.user,
            job=job,
            officer_id=str(v["officer"]),
            from_route=v["from_route"],
            to_route=v["to_route"],
        )
        return Response(selectors.plan_view(job))


class PlanUnpinApi(PlannerApi):
    """Release a pinned visit: the plan is unchanged, and a re-plan may move it again."""

    @extend_schema_serializer(component_name="PlanUnpinInput")
    class Input(UnknownFieldsRefused, serializers.Serializer):
        visit = serializers.CharField(max_length=64)

    @extend_schema(request=Input, responses=dict)
    def post(self, request: Request, kind: str, subject_id: str) -> Response:
        job = _latest(request, kind, subject_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.plan_unpin(actor=request.user, job=job, visit_id=data.validated_data["visit"])
        return Response(selectors.plan_view(job))


class PlanOfficerUnpinApi(PlannerApi):
    """Release an officer the planner placed by hand (moved to a team or taken out of one): the
    plan is unchanged, and planning again forms that officer's teams afresh."""

    @extend_schema_serializer(component_name="PlanOfficerUnpinInput")
    class Input(UnknownFieldsRefused, serializers.Serializer):
        officer = serializers.UUIDField()

    @extend_schema(request=Input, responses=dict)
    def post(self, request: Request, kind: str, subject_id: str) -> Response:
        job = _latest(request, kind, subject_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.plan_officer_unpin(
            actor=request.user, job=job, officer_id=str(data.validated_data["officer"])
        )
        return Response(selectors.plan_view(job))


class PlanPublishApi(PlannerApi):
    """Create the teams and inspections of the plan. For an operation, phones see nothing of it
    until its reveal time."""

    @extend_schema(request=None, responses=dict)
    def post(self, request: Request, kind: str, subject_id: str) -> Response:
        job = services.plan_publish(actor=request.user, job=_latest(request, kind, subject_id))
        return Response(selectors.plan_view(job))


class PlanReplanApi(PlannerApi):
    """An officer drops out of the published plan: a new draft that keeps what is done and moves
    as few visits as possible (``moves`` counts them). Publish it like any plan."""

    @extend_schema_serializer(component_name="PlanReplanInput")
    class Input(UnknownFieldsRefused, serializers.Serializer):
        officer = serializers.UUIDField()
        since = DateTimeField(required=False, allow_null=True)
        time_limit_seconds = serializers.IntegerField(min_value=1, max_value=60, default=10)

    @extend_schema(request=Input, responses=dict)
    def post(self, request: Request, kind: str, subject_id: str) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        officer = Officer.objects.filter(uuid=v["officer"]).first()
        if officer is None:
            raise NotFound("No such officer.", errors={"officer": ["Unknown officer."]})
        job = services.plan_replan(
            actor=request.user,
            job=_latest(request, kind, subject_id),
            officer_out=officer,
            since=v.get("since"),
            time_limit_seconds=v["time_limit_seconds"],
        )
        return Response(selectors.plan_view(job), status=status.HTTP_201_CREATED)


class BriefingApi(PlannerApi):
    """Team ``number``'s briefing (teams are numbered 1, 2, … as in the plan and its file
    names) as a printable page, or as CSV (``…/csv/``)."""

    @extend_schema(responses={(200, "text/html"): OpenApiTypes.STR, (200, "text/csv"): OpenApiTypes.STR})
    def get(
        self, request: Request, kind: str, subject_id: str, route: int, as_csv: bool = False
    ) -> HttpResponse:
        job = _latest(request, kind, subject_id)
        data = selectors.briefing(job, route)
        if as_csv:
            response = HttpResponse(selectors.briefing_csv(data), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="briefing-team-{route}.csv"'
            return response
        html = render_to_string(
            "scheduler/briefing_print.html",
            {"b": data, "kind": kind, "sketch": selectors.briefing_route_sketch(data)},
            request=request,
        )
        return HttpResponse(html)


urlpatterns = [
    path("planning/operations/", OperationListApi.as_view(), name="planning-operations"),
    path("planning/operations/<str:operation_id>/", OperationDetailApi.as_view(), name="planning-operation"),
    path(
        "planning/operations/<str:operation_id>/targets/",
        OperationTargetsApi.as_view(),
        name="planning-targets",
    ),
    path("planning/programmes/", ProgrammeListApi.as_view(), name="planning-programmes"),
    path("planning/<str:kind>/<str:subject_id>/plan/start/", PlanStartApi.as_view(), name="planning-start"),
    path("planning/<str:kind>/<str:subject_id>/plan/", PlanApi.as_view(), name="planning-plan"),
    path("planning/<str:kind>/<str:subject_id>/plan/move/", PlanMoveApi.as_view(), name="planning-move"),
    path(
        "planning/<str:kind>/<str:subject_id>/plan/officer/",
        PlanOfficerMoveApi.as_view(),
        name="planning-officer-move",
    ),
    path("planning/<str:kind>/<str:subject_id>/plan/unpin/", PlanUnpinApi.as_view(), name="planning-unpin"),
    path(
        "planning/<str:kind>/<str:subject_id>/plan/officer/release/",
        PlanOfficerUnpinApi.as_view(),
        name="planning-officer-unpin",
    ),
    path(
        "planning/<str:kind>/<str:subject_id>/plan/publish/",
        PlanPublishApi.as_view(),
        name="planning-publish",
    ),
    path(
        "planning/<str:kind>/<str:subject_id>/plan/replan/", PlanReplanApi.as_view(), name="planning-replan"
    ),
    path(
        "planning/<str:kind>/<str:subject_id>/plan/briefings/<int:route>/",
        BriefingApi.as_view(),
        name="planning-briefing",
    ),
    path(
        "planning/<str:kind>/<str:subject_id>/plan/briefings/<int:route>/csv/",
        BriefingApi.as_view(),
        {"as_csv": True},
        name="planning-briefing-csv",
    ),
    path("planning/jobs/<str:job_id>/", JobApi.as_view(), name="planning-job"),
    path("planning/jobs/<str:job_id>/cancel/", JobCancelApi.as_view(), name="planning-job-cancel"),
]
