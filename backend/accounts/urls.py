from django.urls import path

from backend.accounts import apis

urlpatterns = [
    path("auth/tokens/", apis.ApiTokenListApi.as_view(), name="api-token-list"),
    path("auth/tokens/<str:token_id>/", apis.ApiTokenRevokeApi.as_view(), name="api-token-revoke"),
]
