"""Root URL configuration: the composition root that names every interface."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from backend.console.admin_site import admin_site_autocomplete_labels, admin_site_guard
from backend.core.api_root import ApiRootApi
from backend.core.health import healthz

handler400 = "backend.core.errors.api_aware_400"
handler404 = "backend.core.errors.api_aware_404"
handler500 = "backend.core.errors.api_aware_500"

# Before the URLs are built: the admin's "login/" URL binds the site's login view when
# admin.site.urls is read, so a guard applied afterwards left Django's own, unthrottled sign-in.
admin_site_guard(admin.site)
admin_site_autocomplete_labels(admin.site)

urlpatterns = [
    # First: the phones' API is the busiest path (every sync), and Django tries the patterns in
    # order; behind the console's pages its lookup was 5 % of a submission's CPU. Its prefix is
    # its own, so no other pattern is shadowed.
    path("api/mobile/v1/", include("mobile_api.urls")),
    path("", include("backend.console.urls")),
    path("statistics/", include("backend.reporting.pages_urls")),
    path("", include("backend.compliance.pages_urls")),
    path("privacy/", include("backend.privacy.pages_urls")),
    path("healthz", healthz, name="healthz"),
    path("planning/", include("scheduler.pages_urls")),
    path("registry/imports/", include("backend.registry_import.pages_urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        # The console's copy of the page: its rules in a file, as the CSP allows no inline style.
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="console/swagger_ui.html"),
        name="api-docs",
    ),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    # The index of /api/v1/ (the caller's resources and the schema's links): this path alone.
    path("api/v1/", ApiRootApi.as_view(), name="api-root"),
    path("api/v1/", include("backend.accounts.urls")),
    path("api/v1/", include("backend.registry.urls")),
    path("api/v1/", include("backend.compliance.urls")),
    path("api/v1/", include("scheduler.urls")),
    path("api/v1/", include("backend.reporting.urls")),
    path("field/", include("mobile_api.field.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# In the reader's language, as the console names itself (its header and each page's title).
admin.site.site_header = _("Joint inspections")
admin.site.site_title = _("Joint inspections")
