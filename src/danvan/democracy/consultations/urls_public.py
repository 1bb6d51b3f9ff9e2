"""Public consultation pages (mounted under /dan-chu/gop-y/)."""

from django.urls import path

from . import views_public

app_name = "consultations_public"

urlpatterns = [
    path("", views_public.consultation_list, name="list"),
    path("<int:pk>/", views_public.consultation_detail, name="detail"),
    path("<int:pk>/gop-y/", views_public.comment, name="comment"),
    path("<int:pk>/phan/<int:section_id>/bieu-thi/", views_public.vote_section, name="vote_section"),
    path("<int:pk>/y-kien/<int:comment_id>/ung-ho/", views_public.support_comment, name="support"),
    path("<int:pk>/y-kien-ngan/", views_public.statement_new, name="statement_new"),
    path("<int:pk>/y-kien-ngan/<int:statement_id>/bieu-quyet/", views_public.statement_vote_view,
         name="statement_vote"),
    path("<int:pk>/nhom-y-kien/", views_public.opinion_groups, name="groups"),
    path("<int:pk>/bao-cao.<str:fmt>", views_public.report_download, name="report"),
    path("<int:pk>/tep/<int:attachment_id>/", views_public.attachment_download, name="attachment"),
]
