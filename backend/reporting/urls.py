from django.urls import path, re_path

from backend.reporting import apis

urlpatterns = [
    path("statistics/", apis.StatisticsCatalogueApi.as_view(), name="statistics-catalogue"),
    path("statistics/query/", apis.StatisticsQueryApi.as_view(), name="statistics-query"),
    path("statistics/query.csv", apis.StatisticsCsvApi.as_view(), name="statistics-csv"),
    path("statistics/query.xlsx", apis.StatisticsXlsxApi.as_view(), name="statistics-xlsx"),
    path(
        "statistics/report/<int:year_from>-<int:year_to>/", apis.ReportApi.as_view(), name="statistics-report"
    ),
    path(
        "statistics/report/<int:year_from>-<int:year_to>/publish/",
        apis.ReportPublishApi.as_view(),
        name="statistics-report-publish",
    ),
    re_path(
        r"^statistics/report/(?P<year_from>\d{4})-(?P<year_to>\d{4})\.(?P<extension>html|pdf)$",
        apis.ReportDocumentApi.as_view(),
        name="statistics-report-document",
    ),
]
