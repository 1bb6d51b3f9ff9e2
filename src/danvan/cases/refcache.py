"""Reference data every submission reads, kept in the process between requests.

A submission needs the commune's People's Committee, its province, the legal rule valid on the
receipt date and the holidays after it: four queries that change a few times a year. Measured on
SQLite with 16 clients (docs/performance.md, issue 3), every query a submission makes costs all
the others time, so these are read once per process and kept.

Kept only outside a transaction: inside one, what is read may still be rolled back (and tests run
inside one), so a transaction always reads the database. Any save or delete of a cached model in
this process empties the cache (signals below, connected in ``CasesConfig.ready``); another
process's edits are seen within ``MAX_AGE_SECONDS``, and an administrator changes a rule or a
holiday for cases received from a later date anyway.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connection
from django.db.models.signals import post_delete, post_migrate, post_save

T = TypeVar("T")

MAX_AGE_SECONDS = 300.0

_lock = threading.Lock()
_values: dict[Any, tuple[float, Any]] = {}


def cached(key: Any, load: Callable[[], T]) -> T:
    """``load()``, remembered under ``key`` for this process when read outside a transaction."""
    if connection.in_atomic_block:
        return load()
    now = time.monotonic()
    hit = _values.get(key)
    if hit is not None and now - hit[0] < MAX_AGE_SECONDS:
        return hit[1]  # type: ignore[no-any-return]
    value = load()
    if value is not None:  # a missing row may be added at any moment: ask again next time
        with _lock:
            _values[key] = (now, value)
    return value


def clear(*_args: Any, **_kwargs: Any) -> None:
    """Forget everything (a cached model changed, or the database was flushed)."""
    with _lock:
        _values.clear()


def connect_invalidation() -> None:
    """Empty the cache whenever a model it holds is saved or deleted, or the tables are flushed."""
    from danvan.units.models import Organisation, Unit

    from .models import Field, Holiday, LegalRule

    for model in (Field, Holiday, LegalRule, Organisation, Unit):
        post_save.connect(clear, sender=model, dispatch_uid=f"cases.refcache.save.{model.__name__}")
        post_delete.connect(clear, sender=model, dispatch_uid=f"cases.refcache.delete.{model.__name__}")
    post_migrate.connect(clear, dispatch_uid="cases.refcache.migrate")
