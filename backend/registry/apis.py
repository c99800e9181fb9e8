"""Back-office API over the registry (/api/v1/). Thin: validate, call one selector or service,
shape the output."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.access import principal_for
from backend.registry import selectors, services
from backend.registry.models import Company, Officer, Role, Site


class OpeningHoursOutput(serializers.Serializer):
    weekday = serializers.IntegerField()
    opens = serializers.TimeField(format="%H:%M")
    closes = serializers.TimeField(format="%H:%M")
    crosses_midnight = serializers.BooleanField()


class SiteOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    kind = serializers.CharField()
    venue_type = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    name_zh_hant = serializers.CharField()
    name_pt = serializers.CharField()
    address = serializers.CharField()
    parish = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    licence_number = serializers.CharField()
    contact_name = serializers.CharField(
        help_text="The on-site contact person a team asks for (manager, foreman, licence holder), "
        "not the company; empty when none is on record."
    )
    contact_phone = serializers.CharField(help_text="That person's phone; empty when none is on record.")
    licence_status = serializers.CharField()
    licence_expiry = serializers.DateField(allow_null=True)
    operator = serializers.UUIDField(source="operator.uuid", allow_null=True, default=None)
    contractor = serializers.UUIDField(source="contractor.uuid", allow_null=True, default=None)
    declared_workforce = serializers.IntegerField(allow_null=True)
    risk_score = serializers.DecimalField(max_digits=5, decimal_places=2)
    last_inspected_on = serializers.DateField(allow_null=True)
    is_active = serializers.BooleanField()
    opening_hours = OpeningHoursOutput(many=True)


class SiteFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label="Name, address or licence number contains"
    )

    class Meta:
        model = Site
        fields = ["kind", "venue_type", "parish", "licence_status", "is_active"]

    def filter_search(self, queryset: Any, name: str, value: str) -> Any:
        from django.db.models import Q

        return queryset.filter(
            Q(name_en__icontains=value)
            | Q(name_zh_hant__icontains=value)
            | Q(name_pt__icontains=value)
            | Q(address__icontains=value)
            | Q(licence_number__icontains=value)
        )


class SiteListApi(ListAPIView):
    """Sites in the registry, filtered as a planner or clerk would."""

    serializer_class = SiteOutput
    filterset_class = SiteFilter

    def get_queryset(self) -> Any:
        return selectors.site_list(user=self.request.user).order_by("name_en", "pk")


class EditsSitesOrReads(BasePermission):
    """Every officer reads the registry; planners and administrators correct a site's on-site
    contact (the briefing's person to ask for at the door)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        principal = principal_for(request.user)
        return principal.is_superuser or (
            principal.is_officer and principal.has_role(Role.PLANNER, Role.ADMINISTRATOR)
        )


class SiteDetailApi(APIView):
    permission_classes = [IsAuthenticated, EditsSitesOrReads]

    @extend_schema_serializer(component_name="SiteContactInput")
    class Input(serializers.Serializer):
        """Either field or both; an empty string clears it. The limits are the registry
        files' (contact_name 200 characters, contact_phone 40)."""

        contact_name = serializers.CharField(
            max_length=200,
            allow_blank=True,
            required=False,
            help_text="The person a team asks for on site (manager, foreman, licence holder), "
            "not the company.",
        )
        contact_phone = serializers.CharField(
            max_length=40, allow_blank=True, required=False, help_text="That person's phone."
        )

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            # A misspelt field would otherwise be dropped silently and answer 200 with no change.
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({k: [_("Unknown field.")] for k in unknown})
            if not attrs:
                raise serializers.ValidationError(_("Give contact_name, contact_phone or both."))
            return attrs

    @extend_schema(responses=SiteOutput)
    def get(self, request: Request, site_id: str) -> Response:
        site = selectors.site_get(user=request.user, uuid=site_id)
        return Response(SiteOutput(site).data)

    @extend_schema(request=Input, responses=SiteOutput)
    def patch(self, request: Request, site_id: str) -> Response:
        """Set or clear a site's on-site contact person and phone (planners and administrators;
        audited). Other fields of a site come from the registry files and the admin."""
        site = selectors.site_get(user=request.user, uuid=site_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        site = services.site_update(actor=request.user, site=site, **data.validated_data)
        return Response(SiteOutput(site).data)


class OfficerOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    full_name = serializers.CharField()
    agency = serializers.CharField(source="agency.code")
    unit = serializers.CharField(source="unit.code")
    badge_number = serializers.CharField()
    rank = serializers.IntegerField()
    rank_title = serializers.CharField()
    rank_title_zh_hant = serializers.CharField()
    rank_title_pt = serializers.CharField()
    roles = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()
    sex = serializers.CharField()
    is_active = serializers.BooleanField()

    def get_roles(self, officer: Officer) -> list[str]:
        return sorted(r.role for r in officer.roles.all())

    def get_skills(self, officer: Officer) -> list[str]:
        return sorted(s.code for s in officer.skills.all())


class OfficerListApi(ListAPIView):
    """Officers the caller may see: their own agency's; every agency's for planners."""

    serializer_class = OfficerOutput
    filterset_fields = ["is_active", "sex"]

    def get_queryset(self) -> Any:
        qs = selectors.officer_list(user=self.request.user).order_by("agency__code", "badge_number")
        agency = self.request.query_params.get("agency")
        return qs.filter(agency__code=agency) if agency else qs


class OfficerDetailApi(APIView):
    @extend_schema(responses=OfficerOutput)
    def get(self, request: Request, officer_id: str) -> Response:
        return Response(OfficerOutput(selectors.officer_get(user=request.user, uuid=officer_id)).data)


class MeApi(APIView):
    """The signed-in officer's own record."""

    @extend_schema(responses=OfficerOutput)
    def get(self, request: Request) -> Response:
        return Response(OfficerOutput(selectors.officer_for_user(user=request.user)).data)


class ConflictOutput(serializers.Serializer):
    site = serializers.UUIDField(source="site.uuid", allow_null=True, default=None)
    company = serializers.UUIDField(source="company.uuid", allow_null=True, default=None)
    reason = serializers.CharField()
    declared_at = serializers.DateTimeField()


class MyConflictsApi(APIView):
    """An officer's own declarations of conflicts of interest; POST declares one."""

    @extend_schema_serializer(component_name="ConflictDeclareInput")
    class Input(serializers.Serializer):
        site = serializers.UUIDField(required=False, allow_null=True)
        company = serializers.UUIDField(required=False, allow_null=True)
        reason = serializers.CharField(max_length=300)

    @extend_schema(responses=ConflictOutput(many=True))
    def get(self, request: Request) -> Response:
        officer = selectors.officer_for_user(user=request.user)
        rows = selectors.conflict_list(user=request.user, officer=officer)
        return Response(ConflictOutput(rows, many=True).data)

    @extend_schema(request=Input, responses={201: ConflictOutput})
    def post(self, request: Request) -> Response:
        officer = selectors.officer_for_user(user=request.user)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        site = company = None
        if data.validated_data.get("site"):
            site = selectors.site_get(user=request.user, uuid=data.validated_data["site"])
        if data.validated_data.get("company"):
            company = selectors.get_visible_or_404(
                request.user, Company.objects.all(), uuid=data.validated_data["company"]
            )
        row = services.conflict_declare(
            actor=request.user,
            officer=officer,
            site=site,
            company=company,
            reason=data.validated_data["reason"],
            request=request,
        )
        return Response(ConflictOutput(row).data, status=status.HTTP_201_CREATED)
