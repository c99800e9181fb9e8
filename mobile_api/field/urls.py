"""The officers' field app, mounted at /field/."""

from django.urls import path

from mobile_api.field import views

app_name = "field"

urlpatterns = [
    path("", views.app_page, name="app"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
