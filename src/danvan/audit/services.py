"""Appending to and verifying the audit chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEntry

GENESIS = "0" * 64


def _canonical(value: Any) -> Any:
    """JSON-safe, deterministic form of a value (dates as ISO text, sets sorted)."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_canonical(v) for v in value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def entry_hash(*, prev_hash: str, at: dt.datetime, actor_id: int | None, actor_label: str, action: str,
               object_type: str, object_id: str, object_repr: str, unit_path: str,
               before: Any, after: Any) -> str:
    """SHA-256 over the entry's content and the previous hash, in a fixed JSON layout."""
    payload = json.dumps(
        [prev_hash, at.astimezone(dt.UTC).isoformat(timespec="microseconds"), actor_id, actor_label, action,
         object_type, object_id, object_repr, unit_path, before, after],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def audit_record(*, actor: Any, action: str, obj: models.Model | None = None, object_type: str = "",
                 object_id: str = "", object_repr: str = "", unit_path: str = "",
                 before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry to the chain; must run inside the caller's transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:250]
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    actor_label = (actor.get_username() if actor_id else "") if actor is not None else ""
    before_c = _canonical(before) if before is not None else None
    after_c = _canonical(after) if after is not None else None
    # No savepoint: an entry that cannot be written must fail the caller's whole transaction,
    # never be caught and skipped (and on SQLite a savepoint is two more statements under the lock).
    with transaction.atomic(savepoint=False):
        # The head row lock makes concurrent appends queue, so the chain never forks.
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        at = timezone.now()
        digest = entry_hash(prev_hash=head.last_hash, at=at, actor_id=actor_id, actor_label=actor_label,
                            action=action, object_type=object_type, object_id=object_id,
                            object_repr=object_repr, unit_path=unit_path, before=before_c, after=after_c)
        entry = AuditEntry.objects.create(
            at=at, actor_id=actor_id, actor_label=actor_label, action=action, object_type=object_type,
            object_id=object_id, object_repr=object_repr, unit_path=unit_path, before=before_c,
            after=after_c, prev_hash=head.last_hash, hash=digest,
        )
        head.last_id = entry.pk
        head.last_hash = digest
        head.save(update_fields=["last_id", "last_hash"])
    return entry


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of a chain check: the first entry that fails, and why (link, content, truncated,
    head); ``last_good_id`` is the last entry that still verifies before the damage."""

    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""
    last_good_id: int | None = None


def audit_verify(*, batch_size: int = 5000) -> VerifyResult:
    """Walk the chain in order; report the first entry whose hash or link does not hold."""
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for e in batch:
            if e.prev_hash != prev:
                return VerifyResult(False, checked, e.pk, "link", last_id or None)
            expected = entry_hash(prev_hash=e.prev_hash, at=e.at, actor_id=e.actor_id,
                                  actor_label=e.actor_label, action=e.action, object_type=e.object_type,
                                  object_id=e.object_id, object_repr=e.object_repr, unit_path=e.unit_path,
                                  before=e.before, after=e.after)
            if expected != e.hash:
                return VerifyResult(False, checked, e.pk, "content", last_id or None)
            prev = e.hash
            checked += 1
            last_id = e.pk
    head = AuditChainHead.objects.filter(id=1).first()
    if head is None:
        # The head is written with the first entry and never removed by the application:
        # entries without it mean it was deleted, which would hide a truncation.
        if checked:
            return VerifyResult(False, checked, last_id, "head", last_id)
    elif head.last_hash != prev:
        # Rows at the end of the chain were deleted.
        return VerifyResult(False, checked, head.last_id, "truncated", last_id or None)
    return VerifyResult(True, checked)
