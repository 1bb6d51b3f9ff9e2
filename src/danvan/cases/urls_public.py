"""Public citizen pages, mounted by config/urls.py under "phan-anh/"."""

from django.urls import path

from . import views_public

app_name = "cases_public"

urlpatterns = [
    path("gui/", views_public.submit, name="submit"),
    path("tra-cuu/", views_public.lookup, name="lookup"),
    path("da-gui/<str:code>/", views_public.received, name="received"),
    path("<str:code>/", views_public.detail, name="detail"),
]
