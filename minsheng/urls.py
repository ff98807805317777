from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from minsheng.org.urls import io_urlpatterns as org_io_urlpatterns

admin.site.site_header = "民生 · 系统配置"
admin.site.site_title = "民生"
admin.site.index_title = "配置管理"

api_v1 = [
    path("", include("minsheng.core.api_urls")),
    path("org/", include("minsheng.org.api.urls")),
    path("accounts/", include("minsheng.accounts.api.urls")),
    path("cases/", include("minsheng.cases.api.urls")),
    path("agri/", include("minsheng.agri.api.urls")),
    path("iot/", include("minsheng.iot.api.urls")),
    path("deliberation/", include("minsheng.deliberation.api.urls")),
    path("activities/", include("minsheng.activities.api.urls")),
    path("enterprise/", include("minsheng.enterprise.api.urls")),
    path("mediation/", include("minsheng.mediation.api.urls")),
    path("cluster/", include("minsheng.cluster.api.urls")),
    path("insights/", include("minsheng.insights.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("minsheng.accounts.urls")),
    path("org/io/", include((org_io_urlpatterns, "org_io"))),
    path("org/", include("minsheng.org.urls")),
    path("notifications/", include("minsheng.core.notification_urls")),
    path("cases/", include("minsheng.cases.urls")),
    path("h5/", include("minsheng.cases.urls_h5")),
    path("open311/v2/", include("minsheng.open311.urls")),
    path("agri/", include("minsheng.agri.urls")),
    path("iot/", include("minsheng.iot.urls")),
    path("deliberation/", include("minsheng.deliberation.urls")),
    path("h5/meetings/", include("minsheng.deliberation.urls_h5")),
    path("activities/", include("minsheng.activities.urls")),
    path("h5/activities/", include("minsheng.activities.urls_h5")),
    path("activities-verify/", include("minsheng.activities.urls_public")),
    path("enterprise/", include("minsheng.enterprise.urls")),
    path("qy/", include("minsheng.enterprise.urls_h5")),
    path("mediation/", include("minsheng.mediation.urls")),
    path("cluster/", include("minsheng.cluster.urls")),
    path("insights/", include("minsheng.insights.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script under the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="core/api_redoc.html"),
        name="api-redoc",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("minsheng.core.urls")),
]

handler400 = "minsheng.core.error_views.bad_request"
handler403 = "minsheng.core.error_views.permission_denied"
handler404 = "minsheng.core.error_views.page_not_found"
handler500 = "minsheng.core.error_views.server_error"
