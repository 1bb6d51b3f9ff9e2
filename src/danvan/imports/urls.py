from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/cot/", views.remap, name="remap"),
    path("<int:pk>/bat-dau/", views.start, name="start"),
    path("<int:pk>/huy/", views.cancel, name="cancel"),
    path("<int:pk>/tien-do/", views.progress, name="progress"),
    path("<int:pk>/dong-loi.<str:fmt>", views.report, name="report"),
]
