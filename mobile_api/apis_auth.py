"""Signing a phone in and out of the officers' API. Thin: validate, call one service, shape."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.parsers import SafeJSONParser
from mobile_api import services_auth
from mobile_api.authentication import DeviceTokenAuthentication


class StrictCharField(serializers.CharField):
    """A CharField that refuses numbers too: DRF's would turn ``123`` into ``"123"``, and a phone
    sending a number where text belongs has a bug worth hearing about."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class SignedInOfficerOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    full_name = serializers.CharField()
    agency = serializers.CharField(source="agency.code")
    roles = serializers.SerializerMethodField()

    def get_roles(self, officer: Any) -> list[str]:
        return sorted(r.role for r in officer.roles.all())


class SignInApi(APIView):
    # No authentication: a stale token or a browser session must not get in the way of signing
    # in, and without a session there is no CSRF check to fail.
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [SafeJSONParser]

    @extend_schema_serializer(component_name="SignInInput")
    class Input(serializers.Serializer):
        username = StrictCharField(max_length=150)
        password = StrictCharField(max_length=1024, trim_whitespace=False)
        device_name = StrictCharField(max_length=100)
        device_id = StrictCharField(max_length=200, required=False, allow_blank=True, default="")

    @extend_schema_serializer(component_name="SignInOutput")
    class Output(serializers.Serializer):
        token = serializers.CharField()
        token_id = serializers.UUIDField(source="device_token.uuid")
        expires_at = serializers.DateTimeField(source="device_token.expires_at")
        officer = SignedInOfficerOutput()

    @extend_schema(request=Input, responses={201: Output}, auth=[])
    def post(self, request: Request) -> Response:
        """Sign a phone in. The token in the answer is shown once; send it as
        ``Authorization: Bearer <token>``."""
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        signed_in = services_auth.device_sign_in(**data.validated_data, request=request)
        # A credential: no proxy or client cache may keep the answer (as RFC 6749 §5.1 asks).
        return Response(
            self.Output(signed_in).data, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"}
        )


class SignOutApi(APIView):
    authentication_classes = [DeviceTokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        """Give the token up; it is refused from the next request on."""
        services_auth.device_sign_out(token=request.auth, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
