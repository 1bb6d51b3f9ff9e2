from django.urls import path

from . import views_public as v

app_name = "disclosures_public"

urlpatterns = [
    path("", v.index, name="index"),
    path("tep/<int:pk>/", v.download, name="download"),
    path("xac-nhan/<str:token>/", v.confirm, name="confirm"),
    path("huy-dang-ky/<str:token>/", v.unsubscribe, name="unsubscribe"),
    path("<str:code>/", v.board, name="board"),
    path("<str:code>/dang-ky/", v.subscribe, name="subscribe"),
    path("<str:code>/nhap-ma/", v.confirm_code, name="confirm_code"),
    path("<str:code>/<int:pk>/", v.item, name="item"),
    path("<str:code>/<int:pk>/hoi/", v.ask, name="ask"),
]
