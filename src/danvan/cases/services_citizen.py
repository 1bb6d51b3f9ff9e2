"""Citizen-side helpers around anonymous submission: form tokens, rate limits, uploads kept between tries."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.attachments.services import attachment_add, file_check, max_files
from danvan.core.errors import DomainError

# Anonymous submissions allowed per window (settings override).
DEFAULT_LIMIT_PER_IP = 10
DEFAULT_LIMIT_PER_PHONE = 5
DEFAULT_LIMIT_WINDOW = 3600
# An Open311 client is an application relaying many citizens from one server address, so it is
# limited per API key (and per phone), with a larger allowance than one person's IP.
DEFAULT_LIMIT_PER_API_KEY = 600


def form_token_new() -> str:
    """A fresh single-use form token; it becomes the submission's idempotency key."""
    return secrets.token_urlsafe(24)


def _limits() -> tuple[int, int, int]:
    return (int(getattr(settings, "DANVAN_PUBLIC_SUBMIT_PER_IP", DEFAULT_LIMIT_PER_IP)),
            int(getattr(settings, "DANVAN_PUBLIC_SUBMIT_PER_PHONE", DEFAULT_LIMIT_PER_PHONE)),
            int(getattr(settings, "DANVAN_PUBLIC_SUBMIT_WINDOW", DEFAULT_LIMIT_WINDOW)))


def _keys(ip: str, phone: str, api_key_id: int | None) -> list[tuple[str, int]]:
    per_ip, per_phone, _window = _limits()
    if api_key_id is not None:
        per_key = int(getattr(settings, "DANVAN_OPEN311_SUBMIT_PER_KEY", DEFAULT_LIMIT_PER_API_KEY))
        keys = [(f"danvan:submit:apikey:{api_key_id}", per_key)]
    else:
        keys = [(f"danvan:submit:ip:{ip}", per_ip)]
    phone = re.sub(r"\D", "", phone)
    if phone:
        keys.append((f"danvan:submit:phone:{phone}", per_phone))
    return keys


def submission_rate_limited(*, ip: str, phone: str, api_key_id: int | None = None) -> bool:
    """Whether this IP (or Open311 key) or phone number has used up its submissions for the window."""
    return any(int(cache.get(key, 0)) >= limit for key, limit in _keys(ip, phone, api_key_id))


def submission_rate_count(*, ip: str, phone: str, api_key_id: int | None = None) -> None:
    """Count one accepted anonymous submission against the IP (or Open311 key) and the phone number."""
    window = _limits()[2]
    for key, _limit in _keys(ip, phone, api_key_id):
        # add() starts the window; incr() keeps it (the cache keeps the first timeout).
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=window)


_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
PENDING_DIR = "attachments/pending"


@dataclass(frozen=True)
class PendingFile:
    """An upload already checked, kept server-side under the form token until the case is made."""

    path: str
    name: str


def _pending_prefix(token: str) -> str:
    if not _TOKEN_RE.match(token):
        raise DomainError(_("Phiên gửi không hợp lệ, vui lòng tải lại trang."), code="token_invalid")
    return f"{PENDING_DIR}/{token}"


def pending_list(*, token: str) -> list[PendingFile]:
    """The checked uploads kept for this form token, in upload order."""
    prefix = _pending_prefix(token)
    try:
        _dirs, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return []
    return [PendingFile(path=f"{prefix}/{f}", name=f.split("__", 1)[1]) for f in sorted(files) if "__" in f]


def pending_add(*, token: str, name: str, content: bytes) -> PendingFile:
    """Check an upload and keep it for the form token, so a form shown again with errors keeps it."""
    # Kept as sent (location included): whether the location may be used is decided on submission.
    file_check(content=content)
    existing = pending_list(token=token)
    if len(existing) >= max_files():
        raise DomainError(_("Tối đa %(n)d tệp đính kèm.") % {"n": max_files()}, code="attachment_count")
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)[-80:] or "tep"
    path = default_storage.save(f"{_pending_prefix(token)}/{len(existing):02d}__{safe}", ContentFile(content))
    return PendingFile(path=path, name=path.rsplit("__", 1)[1])


def pending_attach(*, token: str, target: Any, keep_location: bool) -> tuple[float, float] | None:
    """Attach the kept uploads to ``target``, remove them, and return the first photo's consented GPS."""
    gps = None
    for pending in pending_list(token=token):
        with default_storage.open(pending.path, "rb") as handle:
            checked = file_check(content=handle.read(), keep_location=keep_location)
        attachment_add(target=target, name=pending.name, checked=checked)
        gps = gps or checked.gps
        default_storage.delete(pending.path)
    return gps


def pending_gps(*, token: str) -> tuple[float, float] | None:
    """The first consented photo location among the kept uploads (for the case's latitude/longitude)."""
    for pending in pending_list(token=token):
        with default_storage.open(pending.path, "rb") as handle:
            gps = file_check(content=handle.read(), keep_location=True).gps
        if gps:
            return gps
    return None


def case_rate(*, code: str, score: int, comment: str = "") -> Any:
    """The citizen (holding the code) rates the latest sent answer once; audited."""
    from django.db import transaction

    from danvan.audit.services import audit_record

    from .models import AnswerStatus, Case, CaseRating, State

    if score not in range(1, 6):
        raise DomainError(_("Mức độ hài lòng phải từ 1 đến 5."), code="rating_invalid")
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(code=code).first()
        if case is None:
            raise DomainError(_("Không tìm thấy vụ việc."), code="not_found")
        answer = case.answers.filter(status=AnswerStatus.SENT).order_by("-sent_at", "-id").first()
        if answer is None or case.status not in (State.ANSWERED, State.CLOSED):
            raise DomainError(_("Chỉ đánh giá được khi đã có văn bản trả lời."), code="rating_not_answered")
        if CaseRating.objects.filter(answer=answer).exists():
            raise DomainError(_("Bạn đã đánh giá câu trả lời này rồi."), code="rating_exists")
        rating = CaseRating.objects.create(case=case, answer=answer, score=score, comment=comment.strip())
        audit_record(actor=None, action="cases.rate", obj=case, unit_path=case.unit_path,
                     after={"score": score, "answer": answer.pk})
    return rating


PENDING_MAX_AGE_HOURS = 24


def pending_cleanup(*, older_than: dt.timedelta | None = None) -> int:
    """Delete kept uploads of forms never submitted; returns how many files went.

    A form is shown again with its uploads for as long as someone might still be typing; a day
    later nobody will submit it, and the files (photos with their location) must not linger.
    """
    age = older_than or dt.timedelta(hours=int(getattr(settings, "DANVAN_PENDING_MAX_AGE_HOURS",
                                                       PENDING_MAX_AGE_HOURS)))
    cutoff = timezone.now() - age
    try:
        tokens, _files = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return 0
    removed = 0
    for token in tokens:
        prefix = f"{PENDING_DIR}/{token}"
        _dirs, files = default_storage.listdir(prefix)
        for name in files:
            path = f"{prefix}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
        if not default_storage.listdir(prefix)[1]:
            # Local disk keeps empty folders; object stores have none (path() is not implemented).
            with contextlib.suppress(OSError, NotImplementedError):
                os.rmdir(default_storage.path(prefix))
    return removed
