"""Public pages for decisions (mounted under /dan-chu/bieu-quyet/)."""

from django.urls import path

from . import views_public

app_name = "decisions_public"

urlpatterns = [
    path("", views_public.results_index, name="index"),
    path("xa/<str:code>/", views_public.results_commune, name="commune"),
    path("<int:decision_id>/", views_public.decision_public, name="detail"),
]
