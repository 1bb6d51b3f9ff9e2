from django.contrib import admin
from django.urls import include, path

from danvan.api.main import api

admin.site.site_header = "Quản trị danvan"
admin.site.site_title = "Quản trị danvan"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", include("danvan.open311.urls")),
    path("tai-khoan/", include("danvan.accounts.urls")),
    # Before "phan-anh/": its <code> pattern would otherwise catch "dung-han".
    path("phan-anh/dung-han/", include("danvan.cases.urls_ontime")),
    path("phan-anh/", include("danvan.cases.urls_public")),
    path("lam-viec/ho-so/", include("danvan.cases.urls_staff")),
    path("lam-viec/tong-quan/", include("danvan.cases.urls_overview")),
    path("lam-viec/tiep-nhan/", include("danvan.cases.urls_intake")),
    path("dan-chu/cong-khai/", include("danvan.democracy.disclosures.urls_public")),
    path("lam-viec/cong-khai/", include("danvan.democracy.disclosures.urls_staff")),
    path("dan-chu/giam-sat/", include("danvan.democracy.oversight.urls_public")),
    path("lam-viec/giam-sat/", include("danvan.democracy.oversight.urls_staff")),
    path("dan-chu/gop-y/", include("danvan.democracy.consultations.urls_public")),
    path("lam-viec/gop-y/", include("danvan.democracy.consultations.urls_staff")),
    path("dan-chu/bieu-quyet/", include("danvan.democracy.decisions.urls_public")),
    path("lam-viec/bieu-quyet/", include("danvan.democracy.decisions.urls_staff")),
    path("dan-van-kheo/", include("danvan.practices.urls_public")),
    path("lam-viec/dan-van-kheo/", include("danvan.practices.urls_staff")),
    path("lam-viec/nhap-du-lieu/", include("danvan.imports.urls")),
    path("", include("danvan.web.urls")),
]
