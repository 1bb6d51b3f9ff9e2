from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("dia-phuong/<str:code>/", views.unit_page, name="unit"),
    path("dan-chu/", views.democracy, name="democracy"),
    path("lam-viec/", views.workspace, name="workspace"),
]
