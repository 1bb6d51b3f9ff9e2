"""Officials' pages for "Dân vận khéo" models (mounted under /lam-viec/dan-van-kheo/)."""

from django.urls import path

from . import views_staff

app_name = "practices_staff"

urlpatterns = [
    path("", views_staff.practice_index, name="index"),
    path("dang-ky/", views_staff.register, name="register"),
    path("thong-ke/", views_staff.statistics, name="statistics"),
    path("<int:pk>/", views_staff.detail, name="detail"),
    path("<int:pk>/sua/", views_staff.edit, name="edit"),
    path("<int:pk>/thao-tac/<str:action>/", views_staff.transition, name="transition"),
    path("<int:pk>/tham-dinh/", views_staff.appraise, name="appraise"),
    path("<int:pk>/cong-nhan/", views_staff.certify, name="certify"),
    path("<int:pk>/danh-gia-nam/", views_staff.review, name="review"),
    path("<int:pk>/khen-thuong/", views_staff.commend, name="commend"),
    path("<int:pk>/ket-qua/", views_staff.results, name="results"),
    path("<int:pk>/tep/", views_staff.attach, name="attach"),
    path("<int:pk>/tep/<int:attachment_id>/", views_staff.attachment, name="attachment"),
    path("<int:pk>/nhan-rong/", views_staff.replicate, name="replicate"),
]
