from django.urls import path

from backend.registry import apis

urlpatterns = [
    path("me/", apis.MeApi.as_view(), name="me"),
    path("me/conflicts/", apis.MyConflictsApi.as_view(), name="my-conflicts"),
    path("sites/", apis.SiteListApi.as_view(), name="site-list"),
    path("sites/<str:site_id>/", apis.SiteDetailApi.as_view(), name="site-detail"),
    path("officers/", apis.OfficerListApi.as_view(), name="officer-list"),
    path("officers/<str:officer_id>/", apis.OfficerDetailApi.as_view(), name="officer-detail"),
]
