from django.urls import path

from . import views_ontime

app_name = "cases_ontime"

urlpatterns = [
    path("", views_ontime.ontime_table, name="table"),
]
