"""Accent-insensitive search that every app uses, identical on SQLite and PostgreSQL.

Each searchable model keeps a pre-folded column (``searchable(...)``: a leading space, then
``core.text.fold`` of its text) written by its service. The query is folded the same way, so
neither database needs an unaccent function (SQLite's FTS5 never folds đ; PostgreSQL's
unaccent is not IMMUTABLE), and both answer with the same plain comparisons. Every query word
must start a word of the folded text ("ba di" finds "Phường Ba Đình"); results are ranked:

0. the whole text is the query ("phuong ba dinh");
1. the text starts with the query ("phuong ba" → "Phường Ba Đình");
2. the text ends with the query, i.e. the name after its type word ("ba dinh");
3. the query appears as a phrase starting at a word ("ba di");
4. the words appear in another order ("dinh ba");

then by the caller's ``extra_order``, then shorter texts first.

Special characters cannot reach SQL as patterns: folding turns everything but letters and
digits into spaces, and Django escapes ``%``, ``_`` and ``\\`` in LIKE lookups anyway.
"""

from __future__ import annotations

from typing import TypeVar, cast

from django.db import connection
from django.db.models import Case, IntegerField, Model, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from .text import fold, fold_tokens

# A longer query adds nothing a person would type, only SQL: extra words are ignored.
MAX_QUERY_WORDS = 8

_M = TypeVar("_M", bound=Model)


def folded_query(query: str | None) -> str:
    """The folded form of a search box's text."""
    return fold(query)


def query_words(query: str | None) -> list[str]:
    """The distinct folded words of a query, in order, at most ``MAX_QUERY_WORDS``."""
    words = list(dict.fromkeys(fold_tokens(query)))
    return words[:MAX_QUERY_WORDS]


def word_prefix_filter(field: str, query: str | None) -> Q | None:
    """A Q that holds when every folded query word starts a word of ``field``; None if empty.

    The folded column is stored with a leading space (" phuong ba dinh") so "starts a word"
    is the single pattern ``LIKE '% word%'`` on either database.
    """
    words = query_words(query)
    if not words:
        return None
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__contains": f" {word}"})
    return condition


def rank_annotation(field: str, query: str | None) -> Case:
    """The rank of a matching row (see the module docstring): 0 is best."""
    phrase = " " + " ".join(fold_tokens(query))
    return Case(
        When(**{field: phrase}, then=Value(0)),
        When(**{f"{field}__startswith": phrase}, then=Value(1)),
        When(**{f"{field}__endswith": phrase}, then=Value(2)),
        When(**{f"{field}__contains": phrase}, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def fts_prefix_filter(table: str, query: str | None) -> Q | None:
    """The word-prefix filter answered by an SQLite FTS5 index of the folded column.

    ``"word"*`` in FTS5 is the same question as ``LIKE '% word%'`` on the folded column; the
    words are folded to [a-z0-9] so they cannot break out of the quotes.
    """
    words = query_words(query)
    if not words:
        return None
    match = " ".join(f'"{word}"*' for word in words)
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", (match,)))  # noqa: S608, S611


def search(qs: QuerySet[_M], query: str | None, *, field: str = "search_text",
           extra_order: tuple[str, ...] = (), limit: int | None = None,
           fts_table: str | None = None) -> QuerySet[_M]:
    """Filter ``qs`` by accent-insensitive word-prefix match on ``field`` and rank it.

    An empty query, or one with no letter or digit, matches nothing. With ``fts_table``
    (an FTS5 index of ``field``) SQLite answers the match from the index. With ``limit``
    the ranking runs on narrow rows and only the best ``limit`` are fetched with the
    caller's joins.
    """
    if fts_table is not None and connection.vendor == "sqlite":
        condition = fts_prefix_filter(fts_table, query)
    else:
        condition = word_prefix_filter(field, query)
    if condition is None:
        return qs.none()

    def ranked(rows: QuerySet[_M]) -> QuerySet[_M]:
        annotated = (rows.annotate(search_rank=rank_annotation(field, query), search_len=Length(field))
                     .order_by("search_rank", *extra_order, "search_len", field, "pk"))
        return cast("QuerySet[_M]", annotated)  # annotations add attributes, not another model

    found = ranked(qs.filter(condition))
    if limit is None:
        return found
    return ranked(qs.filter(pk__in=found.values("pk")[:limit]))


def searchable(*parts: str | None) -> str:
    """The value to store in a folded search column: " " + folded text of the parts."""
    return " " + " ".join(p for p in (fold(x) for x in parts) if p)
