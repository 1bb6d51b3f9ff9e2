"""Officials' intake of walk-ins, letters and hotline calls (mounted under /lam-viec/tiep-nhan/)."""

from django.urls import path

from . import views_intake

app_name = "cases_intake"

urlpatterns = [
    path("", views_intake.intake, name="intake"),
    path("phieu/<str:code>/", views_intake.receipt, name="receipt"),
]
