"""National OpenID Connect login: off unless configured; claims mapped by subject only; the
whole authorization-code + PKCE flow against a provider running on 127.0.0.1."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.oidc import oidc_config, oidc_enabled, user_from_oidc_claims
from danvan.accounts.services import role_grant, user_link_oidc
from danvan.audit.models import AuditEntry
from danvan.core.errors import DomainError
from danvan.units.models import Unit
from tests.factories import UserFactory

from .oidc_provider import CLIENT_ID, CLIENT_SECRET, FakeProvider

START = "/tai-khoan/oidc/"
CALLBACK = "/tai-khoan/oidc/callback/"


# --- off unless configured ----------------------------------------------------------------

def test_not_configured_by_default() -> None:
    assert not oidc_enabled()


def test_routes_answer_404_when_not_configured(client: Client, db: None) -> None:
    assert client.get(START).status_code == 404
    assert client.get(CALLBACK, {"code": "x", "state": "y"}).status_code == 404


def test_login_page_has_no_provider_link_when_not_configured(client: Client, db: None) -> None:
    html = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert START not in html
    assert "định danh quốc gia" not in html


@pytest.mark.parametrize("missing", ["DANVAN_OIDC_PROVIDER", "DANVAN_OIDC_CLIENT_ID",
                                     "DANVAN_OIDC_CLIENT_SECRET", "DANVAN_OIDC_DISCOVERY_URL"])
def test_each_setting_is_needed(monkeypatch: pytest.MonkeyPatch, settings: Any, missing: str) -> None:
    values = {"DANVAN_OIDC_PROVIDER": "VNeID", "DANVAN_OIDC_CLIENT_ID": "c", "DANVAN_OIDC_CLIENT_SECRET": "s",
              "DANVAN_OIDC_DISCOVERY_URL": "https://sso.example.vn/.well-known/openid-configuration"}
    del settings.DANVAN_OIDC_PROVIDER  # read from the environment, as in a deployment
    for name, value in values.items():
        if name != missing:
            monkeypatch.setenv(name, value)
    assert not oidc_enabled()
    monkeypatch.setenv(missing, values[missing])
    assert oidc_enabled()


def test_endpoints_may_be_given_one_by_one_instead_of_discovery(monkeypatch: pytest.MonkeyPatch,
                                                                 settings: Any) -> None:
    settings.DANVAN_OIDC_PROVIDER = "SSO tỉnh"
    for name, value in {"CLIENT_ID": "c", "CLIENT_SECRET": "s", "ISSUER": "https://sso.example.vn",
                        "AUTHORIZATION_ENDPOINT": "https://sso.example.vn/auth",
                        "TOKEN_ENDPOINT": "https://sso.example.vn/token"}.items():
        monkeypatch.setenv(f"DANVAN_OIDC_{name}", value)
    assert not oidc_enabled()  # the keys that sign ID tokens are needed too
    monkeypatch.setenv("DANVAN_OIDC_JWKS_URI", "https://sso.example.vn/jwks")
    assert oidc_enabled()
    assert oidc_config().scopes == "openid profile"


def test_a_public_client_needs_no_secret(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.DANVAN_OIDC_PROVIDER = "VNeID"
    monkeypatch.setenv("DANVAN_OIDC_CLIENT_ID", "c")
    monkeypatch.setenv("DANVAN_OIDC_DISCOVERY_URL", "https://sso.example.vn/.well-known/openid-configuration")
    assert not oidc_enabled()
    monkeypatch.setenv("DANVAN_OIDC_TOKEN_AUTH_METHOD", "none")
    assert oidc_enabled()


# --- claims → account -------------------------------------------------------------------

CLAIMS = {"sub": "vneid-001", "name": "Lê Văn Công", "email": "cong@example.vn", "email_verified": True,
          "phone_number": "0912345678"}


def test_unknown_subject_gets_a_citizen_account_without_any_role(db: None) -> None:
    user = user_from_oidc_claims(CLAIMS)
    assert user is not None
    assert user.oidc_subject == "vneid-001"
    assert user.full_name == "Lê Văn Công"
    assert user.email == "cong@example.vn" and user.phone == "0912345678"
    assert not user.is_official and not user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert "vneid-001" not in user.username  # the subject may be a citizen ID number
    entry = AuditEntry.objects.get(action="accounts.oidc_user_create", object_id=str(user.pk))
    assert "vneid-001" not in str(entry.after)


def test_the_same_subject_finds_the_same_account(db: None) -> None:
    first = user_from_oidc_claims(CLAIMS)
    again = user_from_oidc_claims({**CLAIMS, "name": "Tên khác", "email": "khac@example.vn"})
    assert again == first
    assert User.objects.filter(oidc_subject="vneid-001").count() == 1
    assert again is not None and again.full_name == "Lê Văn Công"  # the account is not rewritten


def test_a_linked_official_keeps_their_roles_and_gets_no_new_ones(db: None) -> None:
    official = UserFactory(username="canbo.lienket")
    grant = role_grant(actor=None, user=official, role=Role.HANDLER,
                       unit=Unit.objects.get(path="VN.01.00004."))
    user_link_oidc(actor=None, user=official, subject="vneid-002")
    user = user_from_oidc_claims({"sub": "vneid-002", "name": "Người khác"})
    assert user == official
    assert list(RoleAssignment.objects.filter(user=official)) == [grant]


def test_never_linked_by_email(db: None) -> None:
    """Someone who controls an e-mail address at the provider must not take over an official."""
    official = UserFactory(username="canbo.email", email="cong@example.vn")
    user = user_from_oidc_claims(CLAIMS)
    assert user is not None and user != official
    official.refresh_from_db()
    assert official.oidc_subject == ""


def test_no_account_when_creation_is_off(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    assert user_from_oidc_claims(CLAIMS, create=False) is None
    monkeypatch.setenv("DANVAN_OIDC_CREATE_USERS", "0")
    assert user_from_oidc_claims(CLAIMS) is None
    assert not User.objects.filter(oidc_subject="vneid-001").exists()


def test_a_locked_account_is_refused(db: None) -> None:
    UserFactory(oidc_subject="vneid-003", is_active=False)
    assert user_from_oidc_claims({"sub": "vneid-003"}) is None
    assert User.objects.filter(oidc_subject="vneid-003").count() == 1


@pytest.mark.parametrize("claims", [{}, {"sub": ""}, {"sub": "   "}, {"name": "Không có sub"}])
def test_claims_without_subject_are_refused(db: None, claims: dict[str, Any]) -> None:
    with pytest.raises(DomainError):
        user_from_oidc_claims(claims)


def test_names_in_vietnamese_order_and_unverified_contacts_dropped(db: None) -> None:
    user = user_from_oidc_claims({"sub": "vneid-004", "family_name": "Nguyễn", "middle_name": "Thị",
                                  "given_name": "Hoà", "email": "hoa@example.vn", "email_verified": False,
                                  "phone_number": "0900000000", "phone_number_verified": False})
    assert user is not None
    assert user.full_name == "Nguyễn Thị Hòa"  # tone mark placed the one way the project uses
    assert user.email == "" and user.phone == ""


def test_one_subject_cannot_be_linked_to_two_accounts(db: None) -> None:
    UserFactory(username="a", oidc_subject="vneid-005")
    other = UserFactory(username="b")
    with pytest.raises(DomainError, match="đã được liên kết"):
        user_link_oidc(actor=None, user=other, subject="vneid-005")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(oidc_subject="vneid-005")


def test_linking_is_audited_without_the_subject(db: None) -> None:
    user = UserFactory()
    user_link_oidc(actor=None, user=user, subject="079123456789")
    entry = AuditEntry.objects.get(action="accounts.oidc_link", object_id=str(user.pk))
    assert entry.after == {"linked": True}
    user_link_oidc(actor=None, user=user, subject="")
    assert AuditEntry.objects.filter(action="accounts.oidc_unlink", object_id=str(user.pk)).exists()


# --- the whole flow against a provider on 127.0.0.1 -----------------------------------

@pytest.fixture
def provider(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeProvider]:
    p = FakeProvider()
    p.start()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # never send this traffic elsewhere
    settings.DANVAN_OIDC_PROVIDER = "VNeID"
    settings.DANVAN_OIDC_CLIENT_ID = CLIENT_ID
    settings.DANVAN_OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.DANVAN_OIDC_DISCOVERY_URL = f"{p.base_url}/.well-known/openid-configuration"
    yield p
    p.stop()


def _go_to_provider(client: Client, next_url: str = "") -> str:
    response = client.get(START, {"next": next_url} if next_url else {})
    assert response.status_code == 302
    return str(response["Location"])


def test_login_page_offers_the_provider_when_configured(client: Client, db: None,
                                                        provider: FakeProvider) -> None:
    html = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert f'href="{START}"' in html
    assert "Đăng nhập bằng tài khoản định danh quốc gia (VNeID)" in html


def test_full_flow_signs_a_citizen_in(client: Client, db: None, provider: FakeProvider) -> None:
    location = _go_to_provider(client)
    assert location.startswith(f"{provider.base_url}/authorize?")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    assert query["redirect_uri"] == f"http://testserver{CALLBACK}"
    assert len(query["code_challenge"]) == 43  # base64url of a SHA-256 digest
    back = provider.approve(location, {"sub": "vneid-100", "name": "Phạm Thu Hà"})
    response = client.get(CALLBACK, back)
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(oidc_subject="vneid-100")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not user.is_official
    # The token request carried the PKCE verifier and the client's credentials (checked by the provider).
    assert provider.token_requests[-1]["code_verifier"]
    assert provider.token_requests[-1]["grant_type"] == "authorization_code"


def test_full_flow_signs_a_linked_official_in_to_the_workspace(client: Client, db: None,
                                                               provider: FakeProvider) -> None:
    official = UserFactory(username="canbo.vneid", oidc_subject="vneid-200")
    role_grant(actor=None, user=official, role=Role.LEADER, unit=Unit.objects.get(path="VN.01."))
    location = _go_to_provider(client, next_url="/lam-viec/?tab=2")
    response = client.get(CALLBACK, provider.approve(location, {"sub": "vneid-200"}))
    assert response["Location"] == "/lam-viec/?tab=2"
    assert client.session["_auth_user_id"] == str(official.pk)
    assert client.get("/lam-viec/").status_code == 200


def test_an_official_with_totp_still_enters_a_code(client: Client, db: None, provider: FakeProvider) -> None:
    official = UserFactory(username="canbo.totp", oidc_subject="vneid-300")
    TOTPDevice.objects.create(user=official, name="Ứng dụng xác thực", confirmed=True)
    location = _go_to_provider(client)
    response = client.get(CALLBACK, provider.approve(location, {"sub": "vneid-300"}))
    assert response["Location"] == "/tai-khoan/xac-thuc/"
    assert "_auth_user_id" not in client.session


def test_userinfo_completes_the_id_token(client: Client, db: None, provider: FakeProvider) -> None:
    provider.userinfo = {"sub": "vneid-400", "name": "Đỗ Minh Tâm", "phone_number": "0987654321"}
    location = _go_to_provider(client)
    client.get(CALLBACK, provider.approve(location, {"sub": "vneid-400"}))
    user = User.objects.get(oidc_subject="vneid-400")
    assert user.full_name == "Đỗ Minh Tâm" and user.phone == "0987654321"


def test_userinfo_for_another_subject_is_ignored(client: Client, db: None, provider: FakeProvider) -> None:
    provider.userinfo = {"sub": "someone-else", "name": "Kẻ Mạo Danh"}
    location = _go_to_provider(client)
    client.get(CALLBACK, provider.approve(location, {"sub": "vneid-401", "name": "Người Thật"}))
    assert User.objects.get(oidc_subject="vneid-401").full_name == "Người Thật"


def _refused(client: Client, response: Any) -> None:
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/dang-nhap/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Không đăng nhập được qua tài khoản định danh" in page


def test_a_forged_state_is_refused(client: Client, db: None, provider: FakeProvider) -> None:
    location = _go_to_provider(client)
    back = provider.approve(location, {"sub": "vneid-500"})
    _refused(client, client.get(CALLBACK, {**back, "state": "forged"}))
    assert not User.objects.filter(oidc_subject="vneid-500").exists()


def test_a_callback_from_another_browser_is_refused(db: None, provider: FakeProvider) -> None:
    """The state and PKCE verifier live in the session that started the login."""
    starter, victim = Client(), Client()
    back = provider.approve(_go_to_provider(starter), {"sub": "vneid-501"})
    _refused(victim, victim.get(CALLBACK, back))


def test_a_wrong_pkce_verifier_is_refused_by_the_provider(client: Client, db: None,
                                                          provider: FakeProvider) -> None:
    location = _go_to_provider(client)
    back = provider.approve(location, {"sub": "vneid-502"})
    provider.grants[back["code"]].code_challenge = "not-the-challenge-that-was-sent"
    _refused(client, client.get(CALLBACK, back))


def test_an_id_token_with_another_nonce_is_refused(client: Client, db: None, provider: FakeProvider) -> None:
    provider.nonce_override = "replayed-nonce"
    back = provider.approve(_go_to_provider(client), {"sub": "vneid-503"})
    _refused(client, client.get(CALLBACK, back))
    assert not User.objects.filter(oidc_subject="vneid-503").exists()


def test_an_id_token_signed_by_another_key_is_refused(client: Client, db: None,
                                                      provider: FakeProvider) -> None:
    from joserfc.jwk import RSAKey

    back = provider.approve(_go_to_provider(client), {"sub": "vneid-504"})
    provider.signing_key_override = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    _refused(client, client.get(CALLBACK, back))
    assert not User.objects.filter(oidc_subject="vneid-504").exists()


def test_an_error_from_the_provider_is_shown_in_vietnamese(client: Client, db: None,
                                                           provider: FakeProvider) -> None:
    location = _go_to_provider(client)
    state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))["state"]
    _refused(client, client.get(CALLBACK, {"error": "access_denied", "state": state}))


def test_an_unreachable_provider_is_reported_not_raised(client: Client, db: None, settings: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    settings.DANVAN_OIDC_PROVIDER = "VNeID"
    settings.DANVAN_OIDC_CLIENT_ID = CLIENT_ID
    settings.DANVAN_OIDC_CLIENT_SECRET = CLIENT_SECRET
    # Port 9 (discard) on the loopback: nothing listens there, so the connection is refused.
    settings.DANVAN_OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    response = client.get(START)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/dang-nhap/"


def test_an_unlinked_subject_with_creation_off_is_told_to_ask_an_administrator(
        client: Client, db: None, provider: FakeProvider, settings: Any) -> None:
    settings.DANVAN_OIDC_CREATE_USERS = "0"
    back = provider.approve(_go_to_provider(client), {"sub": "vneid-600"})
    response = client.get(CALLBACK, back, follow=True)
    assert "chưa được liên kết với tài khoản nào" in response.content.decode()
    assert "_auth_user_id" not in client.session
