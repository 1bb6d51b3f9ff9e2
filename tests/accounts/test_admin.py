"""The administration site for accounts and grants writes through the services (and so the
audit trail), and never deletes a grant."""

from __future__ import annotations

import pytest
from django.test import Client

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.services import role_grant
from danvan.audit.models import AuditEntry
from danvan.audit.services import audit_verify
from danvan.units.models import Unit
from tests.factories import UserFactory

ADD = "/admin/accounts/roleassignment/add/"


@pytest.fixture
def admin_client(db: None) -> Client:
    admin = User.objects.create_superuser(username="quantri", password="mat-khau-quan-tri-2025",
                                          full_name="Quản trị viên")
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def ba_dinh(db: None) -> Unit:
    return Unit.objects.get(path="VN.01.00004.")


def test_granting_in_the_admin_goes_through_the_service(admin_client: Client, ba_dinh: Unit) -> None:
    official = UserFactory(username="canbo.admin")
    page = admin_client.get(ADD)
    assert page.status_code == 200
    response = admin_client.post(ADD, {"user": official.pk, "role": Role.HANDLER, "unit": ba_dinh.pk,
                                       "organisation": "", "title": "Công chức Văn phòng"})
    assert response.status_code == 302, response.content.decode()[:2000]
    grant = RoleAssignment.objects.get(user=official)
    assert grant.unit == ba_dinh and grant.active and grant.title == "Công chức Văn phòng"
    assert grant.granted_by is not None and grant.granted_by.username == "quantri"
    entry = AuditEntry.objects.get(action="accounts.role_grant", object_id=str(grant.pk))
    assert entry.actor_label == "quantri" and entry.unit_path == "VN.01.00004."
    assert audit_verify().ok


def test_admin_shows_the_services_refusal_in_vietnamese(admin_client: Client, ba_dinh: Unit) -> None:
    citizen = UserFactory(username="cong.dan", is_official=False)
    response = admin_client.post(ADD, {"user": citizen.pk, "role": Role.HANDLER, "unit": ba_dinh.pk})
    assert response.status_code == 200
    assert "không phải tài khoản cán bộ" in response.content.decode()
    assert not RoleAssignment.objects.exists()


def test_admin_refuses_an_organisation_of_another_unit(admin_client: Client, ba_dinh: Unit) -> None:
    official = UserFactory()
    elsewhere = Unit.objects.get(path="VN.01.00008.").organisations.first()
    response = admin_client.post(ADD, {"user": official.pk, "role": Role.SUPERVISOR, "unit": ba_dinh.pk,
                                       "organisation": elsewhere.pk})
    assert "Cơ quan, tổ chức không thuộc đơn vị đã chọn." in response.content.decode()
    assert not RoleAssignment.objects.exists()


def test_unticking_active_revokes_through_the_service(admin_client: Client, ba_dinh: Unit) -> None:
    grant = role_grant(actor=None, user=UserFactory(), role=Role.LEADER, unit=ba_dinh)
    url = f"/admin/accounts/roleassignment/{grant.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    # Everything but "active" is read-only: a grant is revoked and re-made, never edited.
    assert 'name="role"' not in page.content.decode() and 'name="active"' in page.content.decode()
    response = admin_client.post(url, {})  # the unticked box is simply not sent
    assert response.status_code == 302
    grant.refresh_from_db()
    assert not grant.active
    assert AuditEntry.objects.filter(action="accounts.role_revoke", object_id=str(grant.pk),
                                     actor_label="quantri").exists()


def test_revoke_action(admin_client: Client, ba_dinh: Unit) -> None:
    grants = [role_grant(actor=None, user=UserFactory(), role=Role.VIEWER, unit=ba_dinh) for _ in range(2)]
    response = admin_client.post("/admin/accounts/roleassignment/", {
        "action": "revoke_selected", "_selected_action": [g.pk for g in grants]}, follow=True)
    assert "Đã thu hồi 2 phân quyền." in response.content.decode()
    assert not RoleAssignment.objects.filter(active=True).exists()
    assert AuditEntry.objects.filter(action="accounts.role_revoke").count() == 2


def test_grants_cannot_be_deleted(admin_client: Client, ba_dinh: Unit) -> None:
    grant = role_grant(actor=None, user=UserFactory(), role=Role.VIEWER, unit=ba_dinh)
    url = f"/admin/accounts/roleassignment/{grant.pk}/delete/"
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert RoleAssignment.objects.filter(pk=grant.pk).exists()


def test_user_changes_in_the_admin_are_audited(admin_client: Client) -> None:
    user = UserFactory(username="canbo.sua", is_official=False)
    url = f"/admin/accounts/user/{user.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Đăng nhập định danh quốc gia" in page.content.decode()
    response = admin_client.post(url, {
        "username": "canbo.sua", "full_name": "Tên Mới", "email": user.email, "phone": "",
        "is_official": "on", "is_active": "on", "oidc_subject": "", "last_login_0": "", "last_login_1": "",
        "date_joined_0": "2025-07-01", "date_joined_1": "08:00:00",
        "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0", "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(action="accounts.user_update", object_id=str(user.pk))
    assert entry.before == {"full_name": user.full_name, "is_official": False}
    assert entry.after == {"full_name": "Tên Mới", "is_official": True}
    assert entry.actor_label == "quantri"


def test_user_created_in_the_admin_is_audited_without_the_password(admin_client: Client) -> None:
    response = admin_client.post("/admin/accounts/user/add/", {
        "username": "canbo.taomoi", "full_name": "Đặng Văn Tạo", "email": "", "phone": "",
        "is_official": "on",
        "usable_password": "true", "password1": "mat-khau-rat-dai-2025", "password2": "mat-khau-rat-dai-2025",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="canbo.taomoi")
    assert user.is_official and user.check_password("mat-khau-rat-dai-2025")
    entry = AuditEntry.objects.get(action="accounts.user_create", object_id=str(user.pk))
    assert entry.after["username"] == "canbo.taomoi" and entry.after["password"] == "changed"
    assert "mat-khau" not in str(entry.after) and user.password not in str(entry.after)


def test_password_set_by_an_administrator_is_audited(admin_client: Client) -> None:
    user = UserFactory(username="canbo.doimk")
    response = admin_client.post(f"/admin/accounts/user/{user.pk}/password/", {
        "password1": "mat-khau-moi-rat-dai-2025", "password2": "mat-khau-moi-rat-dai-2025",
        "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.check_password("mat-khau-moi-rat-dai-2025")
    assert AuditEntry.objects.filter(action="accounts.password_set", object_id=str(user.pk)).exists()
