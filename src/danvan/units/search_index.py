"""SQLite's full-text index over the units' pre-folded names, kept in step by triggers.

On SQLite a `LIKE '% word%'` over ~64,000 villages is a full scan; FTS5 answers the same
word-prefix question from its index (`"word"*`). It indexes the already-folded column, so
folding (đ→d included) stays ours, not FTS5's. It is created by a post-migrate hook rather
than a migration because SQLite rebuilds `units_unit` whenever a later migration alters
it, which drops the triggers. PostgreSQL uses a trigram index instead (migration 0002).
"""

from __future__ import annotations

from typing import Any

from django.db import connections

UNIT_FTS_TABLE = "units_unit_fts"
_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS units_unit_fts USING fts5("
    "search_text, content='units_unit', content_rowid='id', prefix='1 2 3')",
    "CREATE TRIGGER IF NOT EXISTS units_unit_fts_ai AFTER INSERT ON units_unit BEGIN "
    "INSERT INTO units_unit_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS units_unit_fts_ad AFTER DELETE ON units_unit BEGIN "
    "INSERT INTO units_unit_fts(units_unit_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS units_unit_fts_au AFTER UPDATE OF search_text ON units_unit BEGIN "
    "INSERT INTO units_unit_fts(units_unit_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO units_unit_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]


def ensure_unit_search_index(*, using: str = "default", **_: Any) -> None:
    """Create the FTS5 index and its triggers on SQLite if missing; rebuild it if out of step."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                       "AND name IN ('units_unit_fts_ai', 'units_unit_fts_ad', 'units_unit_fts_au')")
        triggers = cursor.fetchone()[0]
        for statement in _CREATE:
            cursor.execute(statement)
        cursor.execute("SELECT count(*) FROM units_unit_fts_docsize")
        indexed = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM units_unit")
        if triggers < 3 or indexed != cursor.fetchone()[0]:
            cursor.execute("INSERT INTO units_unit_fts(units_unit_fts) VALUES ('rebuild')")


def analyze(*, using: str = "default") -> None:
    """Refresh SQLite's planner statistics after bulk writes, so searches start from FTS."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
