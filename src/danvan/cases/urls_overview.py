"""Officials' overview of cases: statistics and map (mounted under /lam-viec/tong-quan/)."""

from django.urls import path

from . import views_overview

app_name = "cases_overview"

urlpatterns = [
    path("", views_overview.stats, name="stats"),
    path("ban-do/", views_overview.map_page, name="map"),
    path("ban-do/du-lieu.geojson", views_overview.map_data, name="map_data"),
]
