"""Writes to accounts: officials, role grants, second factors, links to the national login."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.audit.services import audit_record
from danvan.core.errors import DomainError
from danvan.units.models import Organisation, Status, Unit

from .models import Role, RoleAssignment, User
from .selectors import clear_scope_cache

# Fields an administrator may change on an account, as recorded in the audit trail. The
# password hash is never copied into the trail: only the fact that it changed.
AUDITED_USER_FIELDS = ("username", "full_name", "email", "phone", "is_official", "is_active", "is_staff",
                       "is_superuser", "oidc_subject")


def _validation_message(exc: ValidationError) -> str:
    """Vietnamese text for a validation error. Django's Vietnamese catalogue lacks some of its
    password messages (the minimum length comes out in English), so known codes get ours."""
    own = {
        "password_too_short": _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự."),
        "password_too_common": _("Mật khẩu này quá phổ biến."),
        "password_entirely_numeric": _("Mật khẩu không được chỉ gồm chữ số."),
        "password_too_similar": _("Mật khẩu quá giống thông tin tài khoản."),
    }
    if hasattr(exc, "error_dict"):
        errors = [e for field_errors in exc.error_dict.values() for e in field_errors]
    else:
        errors = exc.error_list
    texts = []
    for error in errors:
        code = getattr(error, "code", None)
        if code in own:
            texts.append(own[code] % (error.params or {}))
        else:
            texts.extend(error.messages)
    return " ".join(texts)


@transaction.atomic
def official_create(*, actor: Any, username: str, password: str | None, full_name: str, email: str = "",
                    phone: str = "") -> User:
    """Create an official's account (password None: unusable until reset)."""
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("Tên đăng nhập %(u)s đã có.") % {"u": username})
    user = User(username=username, full_name=full_name.strip(), email=email.strip(), phone=phone.strip(),
                is_official=True)
    try:
        user.full_clean(exclude=["password"])
        if password:
            validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(_validation_message(exc)) from exc
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(actor=actor, action="accounts.official_create", obj=user,
                 after={"username": username, "full_name": user.full_name})
    return user


@transaction.atomic
def user_save_by_admin(*, actor: Any, user: User, created: bool, password_changed: bool = False) -> User:
    """Save an account edited in the administration site, recording what changed."""
    before: dict[str, Any] | None = None
    if not created and user.pk:
        old = User.objects.filter(pk=user.pk).values(*AUDITED_USER_FIELDS).first()
        if old is not None:
            before = {k: v for k, v in old.items() if getattr(user, k) != v}
    user.save()
    if created:
        after: dict[str, Any] = {k: getattr(user, k) for k in AUDITED_USER_FIELDS}
    else:
        after = {k: getattr(user, k) for k in (before or {})}
    if password_changed:
        after["password"] = "changed"  # noqa: S105 - a marker, not a password
    if created or after:
        action = "accounts.user_create" if created else "accounts.user_update"
        audit_record(actor=actor, action=action, obj=user, before=before or None, after=after)
    return user


def role_grant_check(*, user: User, role: str, unit: Unit, organisation: Organisation | None = None) -> None:
    """Raise DomainError unless ``role`` may be granted to ``user`` on ``unit``."""
    if role not in Role.values:
        raise DomainError(_("Vai trò «%(role)s» không có trong danh mục.") % {"role": role})
    if not user.is_active:
        raise DomainError(_("Tài khoản %(u)s đang bị khóa.") % {"u": user.get_username()})
    if not user.is_official:
        # Roles are for people working in the system; a citizen's account becomes an
        # official's only by an administrator's explicit choice, never as a side effect.
        raise DomainError(_("Tài khoản %(u)s không phải tài khoản cán bộ.") % {"u": user.get_username()})
    if unit.status != Status.ACTIVE:
        raise DomainError(_("Không thể phân quyền trên đơn vị đã giải thể."))
    if organisation is not None and (organisation.unit_id != unit.pk or not organisation.active):
        raise DomainError(_("Cơ quan, tổ chức không thuộc đơn vị đã chọn."))


@transaction.atomic
def role_grant(*, actor: Any, user: User, role: str, unit: Unit, organisation: Organisation | None = None,
               title: str = "") -> RoleAssignment:
    """Grant ``role`` on ``unit``; it reaches the unit's whole subtree (idempotent)."""
    role_grant_check(user=user, role=role, unit=unit, organisation=organisation)
    existing = RoleAssignment.objects.filter(user=user, role=role, unit=unit, active=True).first()
    if existing:
        return existing
    grant = RoleAssignment.objects.create(user=user, role=role, unit=unit, organisation=organisation,
                                          title=title.strip(),
                                          granted_by=actor if getattr(actor, "pk", None) else None)
    clear_scope_cache(user)
    audit_record(actor=actor, action="accounts.role_grant", obj=grant, unit_path=unit.path,
                 after={"user": user.username, "role": role, "unit": unit.code,
                        "organisation": organisation.kind if organisation else None, "title": grant.title})
    return grant


@transaction.atomic
def user_password_changed(*, actor: Any, user: User) -> None:
    """Record that an administrator set someone's password (the hash stays out of the trail)."""
    audit_record(actor=actor, action="accounts.password_set", obj=user,
                 after={"password": "changed"})


@transaction.atomic
def role_revoke(*, actor: Any, grant: RoleAssignment) -> None:
    """End a role grant (kept for history)."""
    # Lock and re-read, so two administrators revoking at once write one entry.
    grant = RoleAssignment.objects.select_for_update().select_related("user", "unit").get(pk=grant.pk)
    if not grant.active:
        raise DomainError(_("Phân quyền này đã hết hiệu lực."))
    grant.active = False
    grant.save(update_fields=["active", "updated_at"])
    clear_scope_cache(grant.user)
    audit_record(actor=actor, action="accounts.role_revoke", obj=grant, unit_path=grant.unit.path,
                 before={"active": True},
                 after={"active": False, "user": grant.user.username, "role": grant.role,
                        "unit": grant.unit.code})


@transaction.atomic
def user_link_oidc(*, actor: Any, user: User, subject: str) -> User:
    """Link an account to its subject at the national OpenID Connect provider ("" unlinks)."""
    subject = subject.strip()
    if subject and User.objects.filter(oidc_subject=subject).exclude(pk=user.pk).exists():
        raise DomainError(_("Định danh này đã được liên kết với một tài khoản khác."))
    before = user.oidc_subject
    if before == subject:
        return user
    user.oidc_subject = subject
    user.save(update_fields=["oidc_subject"])
    # The subject identifies a person at the provider: the trail says that it changed, not what it is.
    audit_record(actor=actor, action="accounts.oidc_link" if subject else "accounts.oidc_unlink", obj=user,
                 before={"linked": bool(before)}, after={"linked": bool(subject)})
    return user


@transaction.atomic
def totp_start(*, user: User) -> TOTPDevice:
    """A fresh unconfirmed TOTP device (replacing any earlier unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Ứng dụng xác thực"), confirmed=False)


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm a device with a first code; from then on login asks for a code."""
    if device.user_id != user.pk or not device.verify_token(token.strip().replace(" ", "")):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="accounts.totp_enable", obj=user)
    return True


@transaction.atomic
def totp_disable(*, user: User, token: str) -> bool:
    """Turn the second factor off, proven by a current code (a stolen session alone cannot)."""
    token = token.strip().replace(" ", "")
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if devices and not any(d.verify_token(token) for d in devices):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=user, action="accounts.totp_disable", obj=user)
    return True
