"""Writes of Open311 API keys (created, revoked), each audited."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.audit.services import audit_record
from danvan.core.errors import DomainError

from .models import ApiKey

KEY_PREFIX = "o311_"


def key_digest(key: str) -> str:
    """The stored digest of a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_key_create(*, name: str, key: str = "", actor: Any = None) -> tuple[ApiKey, str]:
    """Create a key for an application; return the row and the key (shown only this once)."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Tên ứng dụng không được để trống."), code="name_required")
    if len(name) > 150:
        raise DomainError(_("Tên ứng dụng quá dài: tối đa 150 ký tự."), code="name_too_long")
    key = key or KEY_PREFIX + secrets.token_urlsafe(32)
    digest = key_digest(key)
    if ApiKey.objects.filter(digest=digest).exists():
        raise DomainError(_("Khóa API này đã tồn tại."), code="api_key_exists")
    row = ApiKey.objects.create(name=name, digest=digest, prefix=key[:12])
    audit_record(actor=actor, action="open311.api_key_create", obj=row, after={"name": name, "prefix": row.prefix})
    return row, key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor: Any = None) -> ApiKey:
    """Stop accepting a key (kept for the record)."""
    if not api_key.active:
        raise DomainError(_("Khóa API này đã bị thu hồi."), code="api_key_revoked")
    api_key.active = False
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["active", "revoked_at"])
    audit_record(actor=actor, action="open311.api_key_revoke", obj=api_key, after={"active": False})
    return api_key


def api_key_check(*, key: str) -> ApiKey | None:
    """The active key row matching ``key``, marked as used; None when unknown or revoked."""
    if not key:
        return None
    row = ApiKey.objects.filter(digest=key_digest(key), active=True).first()
    if row is not None:
        ApiKey.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row
