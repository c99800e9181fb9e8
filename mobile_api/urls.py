"""The officers' API, /api/mobile/v1/."""

from django.urls import path

from mobile_api import apis, apis_auth

urlpatterns = [
    path("auth/sign-in/", apis_auth.SignInApi.as_view(), name="mobile-sign-in"),
    path("auth/sign-out/", apis_auth.SignOutApi.as_view(), name="mobile-sign-out"),
    *apis.urlpatterns,
]
