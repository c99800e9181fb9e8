"""Due work in the planner's API (/api/v1/planning/due-work/): request a visit, list what is
due, cancel a request. Planners of the request's agency only (administrators: all)."""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.access import principal_for
from backend.core.errors import NotFound
from backend.core.query_parameters import KnownQueryParameters
from backend.core.strict_input import UnknownFieldsRefused
from backend.inspections.models import Category
from backend.planning import selectors, services
from backend.planning.models import DueWork
from backend.registry.models import Agency, Role, Site


class IsPlanner(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        principal = principal_for(request.user)
        return principal.is_superuser or (
            principal.is_officer and principal.has_role(Role.PLANNER, Role.ADMINISTRATOR)
        )


class DueWorkOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    site = serializers.UUIDField(source="site.uuid")
    site_name = serializers.CharField(source="site.name_en")
    agency = serializers.CharField(source="agency.code")
    category = serializers.CharField()
    reason = serializers.CharField()
    earliest = serializers.DateField()
    latest = serializers.DateField()
    priority = serializers.IntegerField()
    note = serializers.CharField()
    status = serializers.CharField()
    inspection = serializers.UUIDField(source="inspection.uuid", allow_null=True, default=None)
    created_at = serializers.DateTimeField()


class DueWorkListApi(KnownQueryParameters, APIView):
    permission_classes = [IsAuthenticated, IsPlanner]

    @extend_schema_serializer(component_name="DueWorkRequestInput")
    class Input(UnknownFieldsRefused, serializers.Serializer):
        site = serializers.UUIDField()
        agency = serializers.CharField(required=False, help_text="Default: the planner's own agency.")
        category = serializers.ChoiceField(choices=Category.choices)
        reason = serializers.ChoiceField(choices=DueWork.Reason.choices, default=DueWork.Reason.MANUAL)
        earliest = serializers.DateField()
        latest = serializers.DateField()
        priority = serializers.IntegerField(min_value=1, max_value=5, default=3)
        note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)

    @extend_schema_serializer(component_name="DueWorkListFilter")
    class Filter(serializers.Serializer):
        status = serializers.ChoiceField(choices=DueWork.Status.choices, required=False)

    @extend_schema(parameters=[Filter], responses=DueWorkOutput(many=True))
    def get(self, request: Request) -> Response:
        f = self.Filter(data=request.query_params)
        f.is_valid(raise_exception=True)
        rows = selectors.due_work_list(user=request.user, status=f.validated_data.get("status"))
        return Response(DueWorkOutput(rows, many=True).data)

    @extend_schema(request=Input, responses={201: DueWorkOutput})
    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        principal = principal_for(request.user)
        officer = getattr(request.user, "officer", None)
        code = v.get("agency") or (officer.agency.code if officer is not None else "")
        agency = Agency.objects.filter(code=code).first()
        # A planner asks for work of their own agency (administrators: any).
        if agency is None or not (
            principal.is_superuser
            or principal.has_role(Role.ADMINISTRATOR)
            or agency.pk == principal.agency_id
        ):
            raise NotFound(
                _("No such agency among those you plan for."), errors={"agency": [_("Unknown agency.")]}
            )
        site = Site.objects.filter(uuid=v["site"], is_active=True).first()
        if site is None:
            raise NotFound(_("Unknown or inactive site."), errors={"site": [_("Unknown site.")]})
        due = services.due_work_request(
            actor=request.user,
            site=site,
            agency=agency,
            category=v["category"],
            reason=v["reason"],
            earliest=v["earliest"],
            latest=v["latest"],
            priority=v["priority"],
            note=v["note"],
        )
        return Response(DueWorkOutput(due).data, status=status.HTTP_201_CREATED)


class DueWorkDetailApi(APIView):
    permission_classes = [IsAuthenticated, IsPlanner]

    @extend_schema(responses=DueWorkOutput)
    def get(self, request: Request, due_id: str) -> Response:
        return Response(DueWorkOutput(selectors.due_work_get(user=request.user, uuid=due_id)).data)


class DueWorkCancelApi(APIView):
    permission_classes = [IsAuthenticated, IsPlanner]

    @extend_schema_serializer(component_name="DueWorkCancelInput")
    class Input(UnknownFieldsRefused, serializers.Serializer):
        note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)

    @extend_schema(request=Input, responses=DueWorkOutput)
    def post(self, request: Request, due_id: str) -> Response:
        due = selectors.due_work_get(user=request.user, uuid=due_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        due = services.due_work_cancel(actor=request.user, due=due, note=data.validated_data["note"])
        return Response(DueWorkOutput(due).data)


urlpatterns = [
    path("planning/due-work/", DueWorkListApi.as_view(), name="planning-due-work"),
    path("planning/due-work/<str:due_id>/", DueWorkDetailApi.as_view(), name="planning-due-work-detail"),
    path(
        "planning/due-work/<str:due_id>/cancel/", DueWorkCancelApi.as_view(), name="planning-due-work-cancel"
    ),
]
