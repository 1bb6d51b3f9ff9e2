"""Officials' consultation pages (mounted under /lam-viec/gop-y/)."""

from django.urls import path

from . import views_staff

app_name = "consultations_staff"

urlpatterns = [
    path("", views_staff.staff_list, name="list"),
    path("tao-moi/", views_staff.staff_new, name="new"),
    path("<int:pk>/", views_staff.manage, name="manage"),
    path("<int:pk>/sua/", views_staff.edit, name="edit"),
    path("<int:pk>/phan/", views_staff.section_new, name="section_new"),
    path("<int:pk>/phan/<int:section_id>/xoa/", views_staff.section_remove, name="section_remove"),
    path("<int:pk>/phan/<int:section_id>/tra-loi/", views_staff.answer_new, name="answer_new"),
    path("<int:pk>/tra-loi/<int:answer_id>/xoa/", views_staff.answer_remove, name="answer_remove"),
    path("<int:pk>/y-kien/<int:comment_id>/kiem-duyet/", views_staff.moderate, name="moderate"),
    path("<int:pk>/cong-bo/", views_staff.publish, name="publish"),
    path("<int:pk>/y-kien-ngan/<int:statement_id>/", views_staff.statement_review, name="statement_review"),
    path("<int:pk>/tinh-nhom/", views_staff.compute, name="compute"),
    path("<int:pk>/to-chuc/", views_staff.organisation_comment, name="organisation_comment"),
    path("<int:pk>/tep/", views_staff.upload, name="upload"),
    path("<int:pk>/xuat.<str:fmt>", views_staff.export, name="export"),
]
