"""Sealing a denouncer's identity at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The key comes from the environment, ``DANVAN_IDENTITY_KEY``: a Fernet key (32 bytes,
url-safe base64, e.g. from ``Fernet.generate_key()``) or any long passphrase, which is
stretched to one. Several keys separated by commas allow rotation: the first seals, all of
them open. Without the variable, a key is derived from the Django secret key and a warning
is logged: fine for development and tests, not for a deployment, where the identity key
must live apart from the database and from the secret key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from danvan.core.errors import DomainError

ENV_VAR = "DANVAN_IDENTITY_KEY"
logger = logging.getLogger(__name__)


def _as_fernet_key(text: str) -> bytes:
    """A Fernet key as given, or one stretched from a passphrase."""
    raw = text.strip().encode("utf-8")
    try:
        if len(base64.urlsafe_b64decode(raw)) == 32:
            return raw
    except (binascii.Error, ValueError):
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(b"danvan-identity-key\0" + raw).digest())


@lru_cache(maxsize=8)
def _fernet(configured: str, secret_key: str) -> MultiFernet:
    keys = [k for k in configured.split(",") if k.strip()]
    if not keys:
        logger.warning("Chưa đặt biến môi trường %s: thông tin người tố cáo đang được mã hóa bằng khóa "
                       "suy ra từ SECRET_KEY. Khi triển khai thật phải đặt khóa riêng.", ENV_VAR)
        keys = ["dev-only:" + secret_key]
    return MultiFernet([Fernet(_as_fernet_key(k)) for k in keys])


def _current() -> MultiFernet:
    configured = os.environ.get(ENV_VAR) or getattr(settings, ENV_VAR, "") or ""
    return _fernet(configured, settings.SECRET_KEY)


def seal(data: dict[str, Any]) -> str:
    """The sealed (encrypted, authenticated) text of a small JSON-able dict."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return _current().encrypt(payload).decode("ascii")


def unseal(token: str) -> dict[str, Any]:
    """Open a sealed text; a wrong key or tampered text is a domain error, never garbage."""
    from django.utils.translation import gettext as _

    try:
        payload = _current().decrypt(token.encode("ascii"))
    except InvalidToken as exc:
        raise DomainError(_("Không giải mã được thông tin đã bảo mật: khóa mã hóa không đúng."),
                          code="identity_key") from exc
    value = json.loads(payload.decode("utf-8"))
    if not isinstance(value, dict):
        raise DomainError(_("Không giải mã được thông tin đã bảo mật: khóa mã hóa không đúng."),
                          code="identity_key")
    return value


def reseal(token: str) -> str:
    """The same content sealed with the current first key (after a key rotation)."""
    return _current().rotate(token.encode("ascii")).decode("ascii")
