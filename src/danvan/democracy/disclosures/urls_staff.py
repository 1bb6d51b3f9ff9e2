from django.urls import path

from . import views_staff as v

app_name = "disclosures_staff"

urlpatterns = [
    path("", v.index, name="index"),
    path("muc/<int:pk>/", v.item, name="item"),
    path("tinh/<str:code>/", v.province, name="province"),
    path("tinh/<str:code>/xuat-excel/", v.province_export, name="province_export"),
    path("<str:code>/", v.commune, name="commune"),
    path("<str:code>/xuat-excel/", v.commune_export, name="commune_export"),
]
