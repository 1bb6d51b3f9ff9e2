from django.urls import path

from . import views_public as v

app_name = "oversight_public"

urlpatterns = [
    path("", v.index, name="index"),
    path("tep/<int:pk>/", v.evidence, name="evidence"),
    path("<str:code>/", v.commune, name="commune"),
    path("<str:code>/du-an/<int:pk>/", v.project, name="project"),
    path("<str:code>/cam-ket/<int:pk>/", v.commitment, name="commitment"),
]
