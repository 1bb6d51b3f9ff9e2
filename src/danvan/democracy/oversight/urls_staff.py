from django.urls import path

from . import views_staff as v

app_name = "oversight_staff"

urlpatterns = [
    path("", v.index, name="index"),
    path("ke-hoach/<int:pk>/", v.plan, name="plan"),
    path("kien-nghi/<int:pk>/", v.recommendation, name="recommendation"),
    path("cong-trinh/<int:pk>/", v.project, name="project"),
    path("cam-ket/<int:pk>/", v.commitment, name="commitment"),
    path("thanh-vien/<int:pk>/thoi/", v.member_end, name="member_end"),
    path("<str:code>/", v.commune, name="commune"),
    path("<str:code>/xuat-excel/", v.export, name="export"),
    path("<str:code>/xuat-word/", v.export_docx, name="export_docx"),
    path("<str:code>/them/<str:what>/", v.commune_post, name="add"),
]
