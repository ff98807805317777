"""GeoReport v2 under /open311/v2/: the format is the URL's suffix, .json or .xml (XML is the spec's default)."""

from django.urls import re_path

from . import views

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^$", views.discovery, {"fmt": "xml"}),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[^/]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.request_list, name="requests"),
    re_path(r"^requests/(?P<number>[^/]+)/media$", views.media, name="media"),
    re_path(r"^requests/(?P<number>[^/]+)" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/]+)" + FMT, views.token, name="token"),
    # Anything else is the spec's 404 error list, in JSON when the path asked for JSON.
    re_path(r"^(?P<rest>.*)\.(?P<fmt>json)$", views.not_found),
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
