"""Officials' pages for decisions (mounted under /lam-viec/bieu-quyet/)."""

from django.urls import path

from . import views_staff

app_name = "decisions_staff"

urlpatterns = [
    path("", views_staff.decision_index, name="index"),
    path("tao/", views_staff.decision_new, name="new"),
    path("<int:decision_id>/", views_staff.decision_detail, name="detail"),
    path("<int:decision_id>/thao-tac/", views_staff.decision_action, name="action"),
    path("<int:decision_id>/hoi-nghi/", views_staff.meeting_update, name="meeting"),
    path("<int:decision_id>/tham-du/", views_staff.attendance_update, name="attendance"),
    path("<int:decision_id>/ket-qua-hoi-nghi/", views_staff.tallies_update, name="tallies"),
    path("<int:decision_id>/phat-phieu/", views_staff.ballots_issue_view, name="issue"),
    path("<int:decision_id>/nhap-phieu/", views_staff.paper_ballot_view, name="paper"),
    path("<int:decision_id>/gui-ma/", views_staff.codes_send, name="codes"),
    path("<int:decision_id>/gui-lai-ma/", views_staff.code_resend, name="code_resend"),
    path("<int:decision_id>/dinh-kem/", views_staff.attachment_upload, name="attach"),
    path("<int:decision_id>/bien-ban.docx", views_staff.minutes_docx, name="docx"),
]
