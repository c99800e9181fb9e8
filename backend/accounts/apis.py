"""API tokens for scripts (/api/v1/auth/tokens/). Thin: validate, call one service or selector,
shape the answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts import selectors, services
from backend.core.query_parameters import KnownQueryParameters
from backend.core.strict_input import UnknownFieldsRefused


@extend_schema_serializer(component_name="ApiTokenOutput")
class ApiTokenOutput(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    name = serializers.CharField()
    token_prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class ApiTokenListApi(KnownQueryParameters, APIView):
    """GET: the caller's own tokens. POST: create one with a password (and the authenticator's
    code when the user has one); the token is in the answer once and never again."""

    parser_classes = [JSONParser]

    @extend_schema_serializer(component_name="ApiTokenCreateInput")
    class Input(UnknownFieldsRefused, serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=1024, trim_whitespace=False)
        otp_code = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
        name = serializers.CharField(max_length=100)
        expires_in_days = serializers.IntegerField(
            min_value=1, max_value=services.MAX_TTL_DAYS, required=False, allow_null=True, default=None
        )
        # A misspelt field is refused, not dropped: "expires_in_day": 7 made a 90-day token.

    @extend_schema_serializer(component_name="ApiTokenCreateOutput")
    class Output(serializers.Serializer):
        """The token (shown this once) and its record, as the list shows it."""

        token = serializers.CharField()
        id = serializers.UUIDField(source="api_token.uuid")
        name = serializers.CharField(source="api_token.name")
        token_prefix = serializers.CharField(source="api_token.token_prefix")
        created_at = serializers.DateTimeField(source="api_token.created_at")
        expires_at = serializers.DateTimeField(source="api_token.expires_at")

    def _signing_in(self) -> bool:
        # The schema generator asks without a request.
        return getattr(self.request, "method", None) == "POST"

    def get_authenticators(self) -> list[Any]:
        # Creating a token is signing in: no session or stale token may stand in its way (and a
        # request without a session has no CSRF check to fail).
        return [] if self._signing_in() else super().get_authenticators()

    def get_permissions(self) -> Any:
        return [AllowAny()] if self._signing_in() else super().get_permissions()

    @extend_schema(responses=ApiTokenOutput(many=True))
    def get(self, request: Request) -> Response:
        tokens = selectors.api_token_list(user=request.user)
        return Response(ApiTokenOutput(tokens, many=True).data)

    @extend_schema(
        request=Input,
        # The refusals of signing in, each a Problem (backend.core.errors.problem_responses).
        responses={
            201: Output,
            401: OpenApiResponse(
                description=(
                    "`invalid_credentials`: the username, password or authenticator code is not "
                    "correct, or the user has no back-office role (one answer for every cause)."
                )
            ),
            403: OpenApiResponse(
                description=(
                    "`second_factor_enrolment_required`: the user's role signs in with an "
                    "authenticator and none is enrolled; enrol one in the console first."
                )
            ),
            429: OpenApiResponse(
                description=(
                    "`too_many_attempts`: too many failed sign-ins for this username; retry after "
                    "the seconds `Retry-After` gives."
                )
            ),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.api_token_create(**data.validated_data, request=request)
        # A credential: no proxy or client cache may keep the answer (as RFC 6749 §5.1 asks).
        return Response(
            self.Output(created).data, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"}
        )


class ApiTokenRevokeApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, token_id: str) -> Response:
        """Revoke one of your tokens; it is refused from the next request on."""
        token = selectors.api_token_get(user=request.user, uuid=token_id)
        services.api_token_revoke(actor=request.user, token=token, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
