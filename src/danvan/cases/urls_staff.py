"""Officials' inbox and case pages (mounted under /lam-viec/ho-so/)."""

from django.urls import path

from . import views_case, views_staff

app_name = "cases_staff"

urlpatterns = [
    path("", views_staff.inbox, name="inbox"),
    # Before "<code>/": a fixed word no case code can take (codes carry a year and digits).
    path("giao-xu-ly/", views_case.bulk_assign, name="bulk_assign"),
    path("<str:code>/", views_case.detail, name="detail"),
    path("<str:code>/thao-tac/<slug:key>/", views_case.action, name="action"),
    path("<str:code>/danh-tinh/", views_case.identity, name="identity"),
]
