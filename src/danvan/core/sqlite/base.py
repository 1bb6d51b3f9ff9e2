"""Django's SQLite backend with the writers of one process waiting on a Python lock.

SQLite has one writer at a time. With ``transaction_mode = IMMEDIATE`` every transaction takes
the write lock at BEGIN, and a connection that finds it taken waits in SQLite's busy handler,
which sleeps in growing steps (1, 2, 5, 10 … 100 ms) and retries. Under many concurrent
submissions the lock is often free while every waiter sleeps, and an unlucky request loses the
race again and again: the median stays low but the slowest requests wait close to a second
(docs/performance.md, issue 3). Here the threads of one process first wait on a Python lock,
and one of them is woken the moment the previous transaction commits or rolls back. SQLite's own
lock and busy handler still arbitrate between processes (a management command beside the
server), so nothing changes in what is safe.

In-memory databases (the test suite's default) have one connection shared by every thread and
keep Django's behaviour.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_locks: dict[str, threading.Lock] = {}
_locks_mutex = threading.Lock()


def write_lock(path: str) -> threading.Lock:
    """The one write lock of this process for the database file at ``path``."""
    key = os.path.realpath(path)
    with _locks_mutex:
        return _locks.setdefault(key, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock: threading.Lock | None = None
        self._lock_timeout = 5.0
        self._holds_lock = False

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        conn = super().get_new_connection(conn_params)
        self._write_lock = None if self.is_in_memory_db() else write_lock(str(self.settings_dict["NAME"]))
        # As long as SQLite itself would wait for the lock (OPTIONS["timeout"]).
        self._lock_timeout = float(conn_params.get("timeout", 5.0))
        return conn

    def _start_transaction_under_autocommit(self) -> None:
        lock = self._write_lock
        if lock is None or self._holds_lock:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in the stubs
            return
        if not lock.acquire(timeout=self._lock_timeout):
            raise OperationalError("database is locked (timeout waiting for this process's write lock)")
        self._holds_lock = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in the stubs
        except BaseException:
            self._release_lock()
            raise

    def _release_lock(self) -> None:
        if self._holds_lock and self._write_lock is not None:
            self._holds_lock = False
            self._write_lock.release()

    # The lock is let go right after COMMIT or ROLLBACK, before Django runs the on_commit hooks
    # (notifications), which need no write lock.
    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._release_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_lock()
