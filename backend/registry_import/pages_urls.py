"""The administrators' registry import pages, mounted under /registry/imports/."""

from django.urls import path, re_path

from backend.registry_import import pages

app_name = "registry_import"

urlpatterns = [
    path("", pages.import_list, name="list"),
    re_path(
        r"^templates/(?P<kind>[a-z]+)-(?P<language>en|zh-hant|pt)\.(?P<fmt>csv|xlsx)$",
        pages.template_download,
        name="template",
    ),
    re_path(r"^export/(?P<kind>[a-z]+)\.(?P<fmt>csv|xlsx)$", pages.export_download, name="export"),
    path("<uuid:uuid>/", pages.import_detail, name="detail"),
    path("<uuid:uuid>/apply/", pages.import_apply, name="apply"),
    path("<uuid:uuid>/place/", pages.import_place, name="place"),
]
