"""The audit trail in the administration site is strictly read-only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from danvan.accounts.models import Role, User
from danvan.accounts.services import role_grant
from danvan.audit.models import AuditEntry
from danvan.audit.services import audit_verify
from danvan.units.models import Unit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BASE = "/admin/audit/auditentry/"


@pytest.fixture
def admin_client(settings: Any) -> Client:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    admin = User.objects.create_superuser(username="quantri", password="mat-khau-quan-tri-2025")
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def entry() -> AuditEntry:
    grant = role_grant(actor=None, user=UserFactory(username="canbo.nhatky"), role=Role.HANDLER,
                       unit=Unit.objects.get(path="VN.01.00004."))
    return AuditEntry.objects.get(action="accounts.role_grant", object_id=str(grant.pk))


def test_changelist_lists_and_filters(admin_client: Client, entry: AuditEntry) -> None:
    page = admin_client.get(BASE)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Thêm mục nhật ký" not in html and "/add/" not in html.split("changelist-form")[0].split("<h1>")[-1]
    assert "accounts.role_grant" in html
    filtered = admin_client.get(BASE, {"action": "accounts.role_grant"})
    assert filtered.status_code == 200
    assert list(filtered.context["cl"].queryset) == list(AuditEntry.objects.filter(action="accounts.role_grant"))
    by_type = admin_client.get(BASE, {"object_type": "units.unit"})
    assert all(e.object_type == "units.unit" for e in by_type.context["cl"].queryset)
    searched = admin_client.get(BASE, {"q": "Phường Ba Đình"})
    assert entry in list(searched.context["cl"].queryset)
    # No bulk action at all, so not "delete selected" either.
    assert "delete_selected" not in html


def test_an_entry_can_be_viewed_but_not_changed(admin_client: Client, entry: AuditEntry) -> None:
    url = f"{BASE}{entry.pk}/change/"
    page = admin_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert entry.hash in html
    # Every field is shown as text: no input for any of them, and no save button.
    for name in ("action", "after", "before", "hash", "prev_hash", "object_repr"):
        assert f'name="{name}"' not in html.split('id="auditentry_form"')[-1], name
    assert 'name="_save"' not in html and 'name="_continue"' not in html
    response = admin_client.post(url, {"action": "accounts.role_revoke", "after": "{}"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "accounts.role_grant"
    assert audit_verify().ok


def test_no_adding_and_no_deleting(admin_client: Client, entry: AuditEntry) -> None:
    assert admin_client.get(f"{BASE}add/").status_code == 403
    assert admin_client.post(f"{BASE}add/", {"action": "x"}).status_code == 403
    assert admin_client.get(f"{BASE}{entry.pk}/delete/").status_code == 403
    assert admin_client.post(f"{BASE}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    response = admin_client.post(BASE, {"action": "delete_selected", "_selected_action": [entry.pk],
                                        "post": "yes"})
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert response.status_code in (200, 302)
    assert audit_verify().ok


def test_staff_without_permission_cannot_see_it(entry: AuditEntry, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    staff = UserFactory(is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get(BASE).status_code == 403
