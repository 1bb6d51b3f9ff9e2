"""The embedded tier's SQLite backend: writers of one process wait on a Python lock, released at
COMMIT or ROLLBACK, never held by on_commit hooks; in-memory databases are left alone."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

from danvan.core.sqlite.base import write_lock

ALIAS = "embedded"


@pytest.fixture
def embedded(django_db_blocker: Any) -> Iterator[Any]:
    """Registers a file (or in-memory) database under ``ALIAS``: ``embedded(path, timeout)``."""
    made: list[str] = []

    def make(name: str, timeout: float = 5.0, options: dict[str, Any] | None = None) -> str:
        # configure_settings fills Django's defaults; it insists on the name "default".
        connections.settings[ALIAS] = connections.configure_settings({"default": {
            "ENGINE": "danvan.core.sqlite", "NAME": name,
            "OPTIONS": options or {"transaction_mode": "IMMEDIATE", "timeout": timeout,
                                   "init_command": "PRAGMA journal_mode=WAL"},
        }})["default"]
        made.append(name)
        return name

    with django_db_blocker.unblock():
        yield make
        connections[ALIAS].close()
    del connections[ALIAS]  # this thread's wrapper, made with this test's settings
    del connections.settings[ALIAS]


@pytest.fixture
def database(embedded: Any, tmp_path: Path) -> str:
    path = str(embedded(str(tmp_path / "embedded.sqlite3")))
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, label TEXT)")
    return path


def _in_thread(target: Any) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_a_second_writer_waits_for_the_first_to_commit(database: str) -> None:
    path = database
    first_in, release_first, second_done = threading.Event(), threading.Event(), threading.Event()
    order: list[str] = []

    def first() -> None:
        connection = connections[ALIAS]
        with transaction.atomic(using=ALIAS):
            connection.cursor().execute("INSERT INTO item (label) VALUES ('first')")
            first_in.set()
            release_first.wait(5)
            order.append("first commits")
        connection.close()

    def second() -> None:
        connection = connections[ALIAS]
        with transaction.atomic(using=ALIAS):
            order.append("second begins")
            connection.cursor().execute("INSERT INTO item (label) VALUES ('second')")
        connection.close()
        second_done.set()

    a = _in_thread(first)
    assert first_in.wait(5)
    assert write_lock(path).locked()
    b = _in_thread(second)
    assert not second_done.wait(0.3)  # queued behind the first transaction
    release_first.set()
    a.join(5)
    b.join(5)
    assert order == ["first commits", "second begins"]
    assert not write_lock(path).locked()
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT label FROM item ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["first", "second"]


def test_the_lock_is_free_before_on_commit_hooks_and_after_a_rollback(
        database: str) -> None:
    path = database
    seen: list[bool] = []
    with transaction.atomic(using=ALIAS):
        connections[ALIAS].cursor().execute("INSERT INTO item (label) VALUES ('x')")
        assert write_lock(path).locked()
        transaction.on_commit(lambda: seen.append(write_lock(path).locked()), using=ALIAS)
    assert seen == [False]

    with pytest.raises(ZeroDivisionError), transaction.atomic(using=ALIAS):
        connections[ALIAS].cursor().execute("INSERT INTO item (label) VALUES ('y')")
        _ = 1 / 0
    assert not write_lock(path).locked()
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM item")
        assert cursor.fetchone()[0] == 1


def test_a_writer_gives_up_after_the_database_timeout(embedded: Any, tmp_path: Path) -> None:
    path = embedded(str(tmp_path / "slow.sqlite3"), timeout=0.2)
    holding, done = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def holder() -> None:
        with transaction.atomic(using=ALIAS):
            holding.set()
            done.wait(5)
        connections[ALIAS].close()

    thread = _in_thread(holder)
    assert holding.wait(5)

    def waiter() -> None:
        try:
            with transaction.atomic(using=ALIAS):
                pass
        except OperationalError as exc:
            errors.append(exc)
        connections[ALIAS].close()

    _in_thread(waiter).join(5)
    done.set()
    thread.join(5)
    assert len(errors) == 1 and "database is locked" in str(errors[0])
    assert not write_lock(path).locked()


def test_in_memory_databases_take_no_lock(embedded: Any) -> None:
    embedded(":memory:")
    connection = connections[ALIAS]
    with transaction.atomic(using=ALIAS):
        connection.cursor().execute("SELECT 1")
        assert connection._write_lock is None  # type: ignore[attr-defined]


def test_the_embedded_database_is_durable_and_checks_its_keys(embedded: Any, tmp_path: Path) -> None:
    """The project's own options: a committed case survives a power cut (synchronous FULL in WAL),
    foreign keys are enforced, and a writer waits 20 s before giving up."""
    embedded(str(tmp_path / "project.sqlite3"), options=dict(settings.SQLITE_OPTIONS))
    with connections[ALIAS].cursor() as cursor:
        pragmas = {}
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout"):
            cursor.execute(f"PRAGMA {name}")
            pragmas[name] = cursor.fetchone()[0]
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 20000}
