"""Login through a national or provincial OpenID Connect provider (VNeID, a provincial SSO).

The authorization-code flow with PKCE (S256), state and nonce, and ID-token signature and
claims checks come from Authlib; this module only reads the configuration, builds the client
and maps the verified claims to an account. It is off unless configured (docs/oidc.md).

Accounts are linked by the provider's subject identifier (``sub``) alone: never by e-mail or
name, which another person could claim. A login through the provider never grants a role:
an unknown subject gets a citizen account (or nothing, if account creation is off), and an
official's account is linked by an administrator (``danvan accounts link-oidc`` or the
administration site).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from danvan.audit.services import audit_record
from danvan.core.errors import DomainError
from danvan.core.text import normalize

from .models import User

CLIENT_NAME = "danvan_oidc"
# Seconds to wait for the provider before giving up, so a slow provider cannot hold workers.
HTTP_TIMEOUT = 10


def _setting(name: str, default: str = "") -> str:
    """A Django setting if the project defines it, else the environment variable of that name."""
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value).strip()


def _flag(name: str, default: bool) -> bool:
    value = _setting(name, "1" if default else "0").lower()
    return value in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class OIDCConfig:
    provider: str
    client_id: str
    client_secret: str
    discovery_url: str
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str
    scopes: str
    token_auth_method: str
    redirect_uri: str
    create_users: bool

    @property
    def complete(self) -> bool:
        """Everything a login needs is set: a name, a client, and endpoints (discovered or given)."""
        if not (self.provider and self.client_id):
            return False
        # A public client (auth method "none") relies on PKCE alone and has no secret.
        if not self.client_secret and self.token_auth_method != "none":  # noqa: S105
            return False
        if self.discovery_url:
            return True
        return bool(self.issuer and self.authorization_endpoint and self.token_endpoint and self.jwks_uri)


def oidc_config() -> OIDCConfig:
    """The provider configuration, from settings or the environment (DANVAN_OIDC_*)."""
    return OIDCConfig(
        provider=_setting("DANVAN_OIDC_PROVIDER"),
        client_id=_setting("DANVAN_OIDC_CLIENT_ID"),
        client_secret=_setting("DANVAN_OIDC_CLIENT_SECRET"),
        discovery_url=_setting("DANVAN_OIDC_DISCOVERY_URL"),
        issuer=_setting("DANVAN_OIDC_ISSUER"),
        authorization_endpoint=_setting("DANVAN_OIDC_AUTHORIZATION_ENDPOINT"),
        token_endpoint=_setting("DANVAN_OIDC_TOKEN_ENDPOINT"),
        jwks_uri=_setting("DANVAN_OIDC_JWKS_URI"),
        userinfo_endpoint=_setting("DANVAN_OIDC_USERINFO_ENDPOINT"),
        scopes=_setting("DANVAN_OIDC_SCOPES", "openid profile"),
        token_auth_method=_setting("DANVAN_OIDC_TOKEN_AUTH_METHOD", "client_secret_basic"),
        redirect_uri=_setting("DANVAN_OIDC_REDIRECT_URI"),
        create_users=_flag("DANVAN_OIDC_CREATE_USERS", True),
    )


def oidc_enabled() -> bool:
    """Whether the login page offers the provider and its routes answer."""
    return oidc_config().complete


@lru_cache(maxsize=4)
def _client_for(config: OIDCConfig) -> DjangoOAuth2App:
    # One client per configuration: it keeps the discovered metadata and keys between logins.
    metadata: dict[str, Any] = {}
    if not config.discovery_url:
        metadata = {"issuer": config.issuer, "authorization_endpoint": config.authorization_endpoint,
                    "token_endpoint": config.token_endpoint, "jwks_uri": config.jwks_uri}
        if config.userinfo_endpoint:
            metadata["userinfo_endpoint"] = config.userinfo_endpoint
    scopes = config.scopes.split()
    if "openid" not in scopes:
        scopes.insert(0, "openid")
    return DjangoOAuth2App(
        DjangoIntegration(CLIENT_NAME), CLIENT_NAME,
        client_id=config.client_id,
        client_secret=config.client_secret or None,
        server_metadata_url=config.discovery_url or None,
        client_kwargs={"scope": " ".join(scopes), "code_challenge_method": "S256",
                       "token_endpoint_auth_method": config.token_auth_method,
                       "default_timeout": HTTP_TIMEOUT},
        **metadata,
    )


def oidc_client() -> DjangoOAuth2App:
    """The Authlib client for the configured provider; DomainError when not configured."""
    config = oidc_config()
    if not config.complete:
        raise DomainError(_("Đăng nhập bằng tài khoản định danh chưa được cấu hình."), code="oidc_disabled")
    return _client_for(config)


def oidc_claims(client: DjangoOAuth2App, token: Mapping[str, Any]) -> dict[str, Any]:
    """Verified ID-token claims, completed from the userinfo endpoint when the provider has one.

    OpenID Connect Core 5.3.2: userinfo is only trusted when its ``sub`` equals the ID token's.
    """
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        raise DomainError(_("Nhà cung cấp định danh không trả về mã định danh người dùng."),
                          code="oidc_no_subject")
    metadata = client.load_server_metadata()
    if metadata.get("userinfo_endpoint") and token.get("access_token"):
        info = dict(client.userinfo(token=dict(token)))
        if str(info.get("sub", "")) == str(claims["sub"]):
            claims = {**info, **claims}
    return claims


def _full_name(claims: Mapping[str, Any]) -> str:
    name = str(claims.get("name") or "").strip()
    if not name:
        # Vietnamese order: family name, middle name, given name.
        parts = [str(claims.get(k) or "").strip() for k in ("family_name", "middle_name", "given_name")]
        name = " ".join(p for p in parts if p)
    return normalize(name)[:150]


def _username_for(subject: str) -> str:
    # Derived from the subject but not revealing it (a CCCD number may serve as subject).
    digest = hashlib.sha256(subject.encode("utf-8")).hexdigest()
    base = f"oidc-{digest[:20]}"
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def user_from_oidc_claims(claims: Mapping[str, Any], *, create: bool | None = None) -> User | None:
    """The account linked to the claims' subject; a new citizen account if none and allowed.

    Links by ``sub`` only and never grants a role. None when the linked account is locked,
    or when no account is linked and creation is off.
    """
    subject = str(claims.get("sub") or "").strip()
    if not subject:
        raise DomainError(_("Nhà cung cấp định danh không trả về mã định danh người dùng."),
                          code="oidc_no_subject")
    if len(subject) > (User._meta.get_field("oidc_subject").max_length or 0):
        raise DomainError(_("Mã định danh người dùng quá dài."), code="oidc_bad_subject")
    user = User.objects.filter(oidc_subject=subject).first()
    if user is not None:
        return user if user.is_active else None
    if not (oidc_config().create_users if create is None else create):
        return None
    email = str(claims.get("email") or "").strip()[:254]
    if claims.get("email_verified") is False:
        email = ""
    phone = str(claims.get("phone_number") or "").strip()[:20]
    if claims.get("phone_number_verified") is False:
        phone = ""
    user = User(username=_username_for(subject), full_name=_full_name(claims), email=email, phone=phone,
                is_official=False, oidc_subject=subject)
    user.set_unusable_password()
    user.save()
    audit_record(actor=user, action="accounts.oidc_user_create", obj=user,
                 after={"username": user.username, "full_name": user.full_name, "is_official": False})
    return user
