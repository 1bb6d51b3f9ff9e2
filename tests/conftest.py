"""Shared fixtures: the official unit tree is loaded once per test database.

Tests run on SQLite by default and on PostgreSQL when DATABASE_URL is set (.ci/run does both).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load all official units (current and legacy) into the test database once."""
    with django_db_blocker.unblock():
        call_command("units", "import", verbosity=0)


@pytest.fixture
def hanoi(db):  # type: ignore[no-untyped-def]
    from danvan.units.models import Era, Level, Unit

    return Unit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code="01")


@pytest.fixture
def ba_dinh(db):  # type: ignore[no-untyped-def]
    from danvan.units.models import Era, Level, Unit

    return Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="00004")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():  # type: ignore[no-untyped-def]
    """Tests create many users; the production hasher costs ~0.3 s each."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_inline():  # type: ignore[no-untyped-def]
    """Run Celery tasks inline in tests, even when REDIS_URL points at a broker.

    With a broker and no worker, an on-commit task would sit in Redis and the test would see
    nothing happen. The broker path itself is exercised by tests/notifications/test_worker.py,
    which starts a real worker against Redis.
    """
    from danvan.config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache(settings):  # type: ignore[no-untyped-def]
    """Every test starts with an empty cache: submission counters (rate limits) live there.

    Local memory is simply cleared. Redis (the PostgreSQL stage) is shared by the parallel
    workers and outlives the run, so clearing it would pull counters from under a test running
    in the other worker; each test gets its own key prefix instead. No test may call
    ``cache.clear()`` itself (on Redis it empties the whole database) or define its own
    ``_empty_cache``, which would replace this one.
    """
    import copy
    import uuid

    from django.core.cache import cache

    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        caches = copy.deepcopy(settings.CACHES)
        caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
        settings.CACHES = caches
    else:
        cache.clear()
    yield
