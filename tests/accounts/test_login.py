"""Login for officials: lockout after repeated failures, and the optional TOTP second factor,
driven through the real pages with real codes computed from the device's key."""

from __future__ import annotations

import base64
import re
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.accounts.models import Role, User
from danvan.accounts.services import role_grant
from danvan.accounts.views import _PENDING_AT, MAX_OTP_FAILURES, PENDING_MAX_AGE
from danvan.audit.models import AuditEntry
from danvan.units.models import Unit
from tests.factories import UserFactory

PASSWORD = "mat-khau-an-toan-2025"
LOGIN = "/tai-khoan/dang-nhap/"
OTP = "/tai-khoan/xac-thuc/"
SECURITY = "/tai-khoan/bao-mat/"
WORKSPACE = "/lam-viec/"


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or ``steps_ahead`` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A six-digit code that is none of those the device accepts right now."""
    accepted = {code(device, k) for k in (-1, 0, 1, 2)}
    return next(c for c in (f"{n:06d}" for n in range(1000000)) if c not in accepted)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def official(db: None) -> User:
    return UserFactory(username="canbo.badinh", full_name="Trần Thị Bình")


@pytest.fixture
def no_throttle(settings: Any) -> None:
    """django-otp slows guessing by refusing codes for 1, 2, 4 … s after each failure. That is
    right in production, but a test that enters a right code after a wrong one would need to
    wait, so the delay is switched off where a test is not about it."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


# --- password and lockout ---------------------------------------------------------------

def test_login_page_is_vietnamese_and_says_citizens_need_no_account(client: Client) -> None:
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Đăng nhập cán bộ" in html
    assert "Công dân không cần tài khoản" in html
    assert "Tên đăng nhập" in html and "Mật khẩu" in html


def test_password_login_without_second_factor_signs_in(client: Client, official: User) -> None:
    response = client.post(LOGIN, {"username": "canbo.badinh", "password": PASSWORD,
                                   "next": "/lam-viec/?tab=1"})
    assert response.status_code == 302 and response["Location"] == "/lam-viec/?tab=1"
    assert signed_in(client)


def test_login_refuses_an_offsite_next(client: Client, official: User) -> None:
    response = client.post(LOGIN, {"username": "canbo.badinh", "password": PASSWORD,
                                   "next": "https://evil.example/"})
    assert response["Location"] == WORKSPACE


def test_wrong_password_shows_a_vietnamese_error(client: Client, official: User) -> None:
    response = client.post(LOGIN, {"username": "canbo.badinh", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert not signed_in(client)


def test_lockout_after_five_failures_refuses_even_the_right_password(client: Client, official: User,
                                                                     settings: Any) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(1, 5):
        response = client.post(LOGIN, {"username": "canbo.badinh", "password": f"sai-{attempt}"})
        assert response.status_code == 200, attempt
    fifth = client.post(LOGIN, {"username": "canbo.badinh", "password": "sai-5"})
    assert fifth.status_code == 429
    sixth = client.post(LOGIN, {"username": "canbo.badinh", "password": PASSWORD})
    assert sixth.status_code == 429
    assert not signed_in(client)
    html = sixth.content.decode()
    assert '<html lang="vi">' in html
    assert "Tạm khóa đăng nhập" in html
    assert "Đăng nhập sai quá nhiều lần" in html
    assert "locked" not in html.lower() and "too many" not in html.lower()
    # Lockout is per username and address: another official at the same office still signs in.
    UserFactory(username="canbo.khac")
    other = Client()
    assert other.post(LOGIN, {"username": "canbo.khac", "password": PASSWORD}).status_code == 302


def test_failures_below_the_limit_are_forgiven_by_a_success(client: Client, official: User) -> None:
    for attempt in range(4):
        client.post(LOGIN, {"username": "canbo.badinh", "password": f"sai-{attempt}"})
    assert client.post(LOGIN, {"username": "canbo.badinh", "password": PASSWORD}).status_code == 302
    client.post(reverse("accounts:logout"))
    for attempt in range(4):
        failed = client.post(LOGIN, {"username": "canbo.badinh", "password": f"sai-{attempt}"})
        assert failed.status_code == 200
    assert client.post(LOGIN, {"username": "canbo.badinh", "password": PASSWORD}).status_code == 302


def test_a_deactivated_account_cannot_sign_in(client: Client, official: User) -> None:
    official.is_active = False
    official.save()
    response = client.post(LOGIN, {"username": "canbo.badinh", "password": PASSWORD})
    assert response.status_code == 200
    assert not signed_in(client)


def test_logout_needs_post(client: Client, official: User) -> None:
    client.force_login(official)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"), follow=True)
    assert "Bạn đã đăng xuất." in response.content.decode()
    assert not signed_in(client)


# --- TOTP: enabling ---------------------------------------------------------------------

def test_enable_totp_with_a_real_code(client: Client, official: User) -> None:
    client.force_login(official)
    page = client.get(SECURITY)
    html = page.content.decode()
    assert page.status_code == 200 and "Bật xác thực hai lớp" in html
    device = TOTPDevice.objects.get(user=official, confirmed=False)
    # The page shows the key the app needs, in the base32 form authenticator apps take.
    shown = re.search(r'id="totp-secret">([A-Z2-7]+)<', html)
    assert shown is not None
    padded = shown.group(1) + "=" * (-len(shown.group(1)) % 8)
    assert base64.b32decode(padded) == device.bin_key
    assert "<svg" in html  # the QR code

    bad = client.post(SECURITY, {"action": "confirm", "token": wrong_code(device)})
    assert "Mã không đúng" in bad.content.decode()
    assert not TOTPDevice.objects.filter(user=official, confirmed=True).exists()

    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above started django-otp's delay
    device.save()
    good = client.post(SECURITY, {"action": "confirm", "token": code(device)}, follow=True)
    assert "Đã bật xác thực hai lớp" in good.content.decode()
    assert TOTPDevice.objects.filter(user=official, confirmed=True).count() == 1
    assert AuditEntry.objects.filter(action="accounts.totp_enable", object_id=str(official.pk)).exists()
    assert "Xác thực hai lớp đang bật." in client.get(SECURITY).content.decode()


def test_security_page_needs_login(client: Client) -> None:
    response = client.get(SECURITY)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# --- TOTP: logging in -------------------------------------------------------------------

@pytest.fixture
def device(official: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=official, name="Ứng dụng xác thực", confirmed=True)


def test_password_then_code_signs_in(client: Client, official: User, device: TOTPDevice,
        no_throttle: None) -> None:
    role_grant(actor=None, user=official, role=Role.HANDLER, unit=Unit.objects.get(path="VN.01.00004."))
    first = client.post(LOGIN, {"username": "canbo.badinh", "password": PASSWORD, "next": "/lam-viec/"})
    assert first.status_code == 302 and first["Location"] == OTP
    assert not signed_in(client)
    # The password alone opens nothing.
    assert client.get(WORKSPACE).status_code == 302

    page = client.get(OTP)
    assert "Mã xác thực 6 số" in page.content.decode()
    wrong = client.post(OTP, {"token": wrong_code(device)})
    assert wrong.status_code == 200
    assert f"Còn {MAX_OTP_FAILURES - 1} lần thử" in wrong.content.decode()
    assert not signed_in(client)

    right = client.post(OTP, {"token": code(device)})
    assert right.status_code == 302 and right["Location"] == "/lam-viec/"
    assert signed_in(client)
    assert client.session.get("otp_device_id") == device.persistent_id
    assert client.get(WORKSPACE).status_code == 200


def test_a_code_cannot_be_used_twice(client: Client, official: User, device: TOTPDevice,
        no_throttle: None) -> None:
    token = code(device)
    client.post(LOGIN, {"username": "canbo.badinh", "password": PASSWORD})
    assert client.post(OTP, {"token": token}).status_code == 302
    client.post(reverse("accounts:logout"))
    client.post(LOGIN, {"username": "canbo.badinh", "password": PASSWORD})
    again = client.post(OTP, {"token": token})
    assert again.status_code == 200 and not signed_in(client)


def test_five_wrong_codes_end_the_attempt(client: Client, official: User, device: TOTPDevice,
        no_throttle: None) -> None:
    client.post(LOGIN, {"username": "canbo.badinh", "password": PASSWORD})
    bad = wrong_code(device)
    for n in range(1, MAX_OTP_FAILURES):
        response = client.post(OTP, {"token": bad})
        assert response.status_code == 200
        assert f"Còn {MAX_OTP_FAILURES - n} lần thử" in response.content.decode()
    last = client.post(OTP, {"token": bad})
    assert last.status_code == 302 and last["Location"] == reverse("accounts:login")
    assert AuditEntry.objects.filter(action="accounts.otp_locked", object_id=str(official.pk)).exists()
    # The half-finished login is gone: even the right code now leads back to the password.
    after = client.post(OTP, {"token": code(device)})
    assert after.status_code == 302 and after["Location"] == reverse("accounts:login")
    assert not signed_in(client)
    message_page = client.get(LOGIN)
    assert message_page.status_code == 200
    # A new password step starts the count afresh, and the right code works.
    client.post(LOGIN, {"username": "canbo.badinh", "password": PASSWORD})
    assert f"Còn {MAX_OTP_FAILURES - 1} lần thử" in client.post(OTP, {"token": bad}).content.decode()
    assert client.post(OTP, {"token": code(device)}).status_code == 302
    assert signed_in(client)


def test_the_message_after_five_wrong_codes_is_vietnamese(client: Client, official: User, device: TOTPDevice,
                                                          no_throttle: None) -> None:
    client.post(LOGIN, {"username": "canbo.badinh", "password": PASSWORD})
    bad = wrong_code(device)
    for _ in range(MAX_OTP_FAILURES - 1):
        client.post(OTP, {"token": bad})
    page = client.post(OTP, {"token": bad}, follow=True)
    assert "Nhập sai mã xác thực quá nhiều lần. Hãy đăng nhập lại." in page.content.decode()


def test_throttling_refuses_a_right_code_straight_after_a_wrong_one(client: Client, official: User,
                                                                    device: TOTPDevice) -> None:
    """django-otp's own delay, kept on in production, also guards the code step."""
    client.post(LOGIN, {"username": "canbo.badinh", "password": PASSWORD})
    client.post(OTP, {"token": wrong_code(device)})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Pretend the failure happened just now (it did), so the delay of 1 s is certainly running.
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    assert client.post(OTP, {"token": code(device)}).status_code == 200
    assert not signed_in(client)


def test_an_expired_password_step_must_be_repeated(client: Client, official: User,
                                                   device: TOTPDevice) -> None:
    client.post(LOGIN, {"username": "canbo.badinh", "password": PASSWORD})
    session = client.session
    session[_PENDING_AT] = int(time.time()) - PENDING_MAX_AGE - 1
    session.save()
    response = client.post(OTP, {"token": code(device)}, follow=True)
    assert "Phiên đăng nhập đã hết hạn" in response.content.decode()
    assert not signed_in(client)


def test_the_code_page_without_a_password_step_goes_to_login(client: Client) -> None:
    response = client.get(OTP)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")


# --- TOTP: disabling --------------------------------------------------------------------

def test_disabling_needs_a_current_code(client: Client, official: User, device: TOTPDevice,
        no_throttle: None) -> None:
    client.force_login(official)
    refused = client.post(SECURITY, {"action": "disable", "token": wrong_code(device)})
    assert "Mã không đúng" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=official, confirmed=True).exists()
    empty = client.post(SECURITY, {"action": "disable", "token": ""})
    assert "Hãy nhập mã từ ứng dụng xác thực." in empty.content.decode()
    done = client.post(SECURITY, {"action": "disable", "token": code(device)}, follow=True)
    assert "Đã tắt xác thực hai lớp." in done.content.decode()
    # Only the fresh, unconfirmed device the page offers for switching it on again is left.
    assert not TOTPDevice.objects.filter(user=official, confirmed=True).exists()
    assert AuditEntry.objects.filter(action="accounts.totp_disable", object_id=str(official.pk)).exists()
    # From now on the password alone signs in.
    client.post(reverse("accounts:logout"))
    assert client.post(LOGIN, {"username": "canbo.badinh", "password": PASSWORD})["Location"] == WORKSPACE
