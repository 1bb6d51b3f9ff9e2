from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("xac-thuc/", views.otp_view, name="otp"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("bao-mat/", views.security_view, name="security"),
    # National OpenID Connect login: both answer 404 unless DANVAN_OIDC_* is configured.
    path("oidc/", views.oidc_start, name="oidc"),
    path("oidc/callback/", views.oidc_callback, name="oidc_callback"),
]
