"""Back-office API over the registry (/api/v1/). Thin: validate, call one selector or service,
shape the output."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.access import principal_for
from backend.core.query_parameters import KnownQueryParameters
from backend.core.strict_input import UnknownFieldsRefused
from backend.registry import selectors, services
from backend.registry.models import Agency, Company, Officer, Role, Site


@extend_schema_field({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "20:00"})
class ClockTimeField(serializers.TimeField):
    """A time of day as a venue's hours are written, ``20:00``. OpenAPI's ``format: time`` (RFC
    3339's ``20:00:00+08:00``) would make a client's validator refuse every answer."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class OpeningHoursOutput(serializers.Serializer):
    weekday = serializers.IntegerField()
    opens = ClockTimeField()
    closes = ClockTimeField()
    crosses_midnight = serializers.BooleanField()


class SiteOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    kind = serializers.CharField()
    venue_type = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    name_zh_hant = serializers.CharField()
    name_pt = serializers.CharField()
    address = serializers.CharField(help_text="As registered, usually in Portuguese.")
    address_zh_hant = serializers.CharField(
        help_text="The address as Chinese writes it, shown to readers of Chinese; empty when none is known."
    )
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


class YesNoField(forms.Field):
    """``true`` or ``false``. django-filter's own reads any other word as "not given" and lists
    everything, so ``?is_active=yes`` answered inactive sites as well; here it is a 400."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if value not in ("true", "false"):
            raise ValidationError(_("Give true or false."), code="invalid")
        return value == "true"


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


class SiteFilter(django_filters.FilterSet):
    is_active = YesNoFilter()
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
            | Q(address_zh_hant__icontains=value)
            | Q(licence_number__icontains=value)
        )


class SiteListApi(KnownQueryParameters, ListAPIView):
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
    class Input(UnknownFieldsRefused, serializers.Serializer):
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


def _agency_codes() -> list[tuple[str, str]]:
    # Read when asked, not at import: the agencies are rows.
    return [(code, code) for code in Agency.objects.order_by("code").values_list("code", flat=True)]


class OfficerFilter(django_filters.FilterSet):
    is_active = YesNoFilter()
    # An unknown code answered an empty list, as if the agency had no officers.
    agency = django_filters.ChoiceFilter(
        field_name="agency__code", choices=_agency_codes, label="An agency's code, e.g. DSAL"
    )

    class Meta:
        model = Officer
        fields = ["is_active", "sex", "agency"]


class OfficerListApi(KnownQueryParameters, ListAPIView):
    """Officers the caller may see: their own agency's; every agency's for planners."""

    serializer_class = OfficerOutput
    filterset_class = OfficerFilter

    def get_queryset(self) -> Any:
        return selectors.officer_list(user=self.request.user).order_by("agency__code", "badge_number")


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
    id = serializers.UUIDField(source="uuid")
    site = serializers.UUIDField(source="site.uuid", allow_null=True, default=None)
    company = serializers.UUIDField(source="company.uuid", allow_null=True, default=None)
    reason = serializers.CharField()
    declared_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(
        allow_null=True, help_text="when the officer withdrew it (the tie ended); null while it stands"
    )


class MyConflictsApi(KnownQueryParameters, APIView):
    """An officer's own declarations of conflicts of interest; POST declares one."""

    @extend_schema_serializer(component_name="ConflictDeclareInput")
    class Input(UnknownFieldsRefused, serializers.Serializer):
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
