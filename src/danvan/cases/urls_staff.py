"""Officials' inbox of cases (mounted under /lam-viec/ho-so/)."""

from django.urls import path

from . import views_staff

app_name = "cases_staff"

urlpatterns = [
    path("", views_staff.inbox, name="inbox"),
    path("<str:code>/", views_staff.detail, name="detail"),
]
