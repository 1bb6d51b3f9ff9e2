"""Public showcase of "Dân vận khéo" models, mounted by config/urls.py under "dan-van-kheo/"."""

from django.urls import path

from . import views_public

app_name = "practices_public"

urlpatterns = [
    path("", views_public.gallery, name="gallery"),
    path("<int:pk>/", views_public.detail, name="detail"),
    path("<int:pk>/anh/<int:attachment_id>/", views_public.photo, name="photo"),
]
