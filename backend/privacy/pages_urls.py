"""The data-protection officer's console pages, mounted under /privacy/."""

from django.urls import path

from backend.privacy import pages

app_name = "privacy_console"

urlpatterns = [
    path("access/", pages.access_report_page, name="access-report"),
    path("retention/", pages.retention_page, name="retention"),
]
