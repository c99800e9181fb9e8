"""The analysts' console pages, mounted under /statistics/ by the root URL configuration."""

from django.urls import path, re_path

from backend.reporting import pages

app_name = "reporting"

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("breakdown/", pages.breakdown, name="breakdown"),
    re_path(r"^breakdown\.(?P<extension>csv|xlsx)$", pages.breakdown_download, name="breakdown-download"),
    re_path(
        r"^breakdown-table\.(?P<extension>csv|xlsx)$",
        pages.breakdown_table_download,
        name="breakdown-table-download",
    ),
    path("report/", pages.report_index, name="report-index"),
    path("report/<int:year_from>-<int:year_to>/", pages.report, name="report"),
    path("report/<int:year_from>-<int:year_to>.pdf", pages.report_pdf, name="report-pdf"),
    path("report/<int:year_from>-<int:year_to>.xlsx", pages.report_xlsx, name="report-xlsx"),
    path(
        "report/<int:year_from>-<int:year_to>/charts/<int:index>.svg", pages.report_chart, name="report-chart"
    ),
    path("report/<int:year_from>-<int:year_to>/publish/", pages.report_publish, name="report-publish"),
]
