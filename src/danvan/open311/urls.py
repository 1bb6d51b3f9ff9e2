"""Open311 GeoReport v2 routes; every resource answers as .json or .xml."""

from __future__ import annotations

from django.urls import re_path

from . import views

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[-a-zA-Z0-9_]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests_view, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/.]+)" + FMT, views.request_detail, name="request"),
    re_path(r"^media/(?P<attachment_id>[0-9]{1,12})\.(?P<ext>jpg|png|webp)$", views.media, name="media"),
]
