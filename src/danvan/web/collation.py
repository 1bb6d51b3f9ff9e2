"""Ordering of Vietnamese names the way a Vietnamese reader expects them in a list.

Neither database sorts Vietnamese well out of the box: SQLite compares code points (so
"Đà Nẵng" lands after "Yên Bái"), PostgreSQL's collation depends on the server's locale,
and sorting on the folded search column puts "Đ" among the "D"s. Lists on the portal hold
at most a few hundred names, so they are ordered in Python with this key instead:

- the Vietnamese alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y;
- tones only break ties, in dictionary order: a à ả ã á ạ;
- numbers compare by value, so "Tổ dân phố 2" comes before "Tổ dân phố 10";
- the administrative prefix ("Thành phố", "Tỉnh", "Phường", "Xã", "Đặc khu") is skipped, so
  "Phường Ba Đình" sorts under B, next to "Xã Ba Vì".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from danvan.core.text import normalize

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# Dictionary tone order: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_TONE_MARKS = set(_TONE_RANK)
_CHUNK_RE = re.compile(r"(\d+)")

# Longest first, so "Thị trấn" is not read as "Thị" + a name.
UNIT_PREFIXES: tuple[str, ...] = tuple(sorted(
    ("Thành phố", "Tỉnh", "Phường", "Xã", "Đặc khu", "Thị trấn", "Thị xã", "Quận", "Huyện"),
    key=len, reverse=True,
))

Key = tuple[tuple[tuple[int, ...], ...], tuple[int, ...]]


def short_name(name: str) -> str:
    """The place name without its administrative prefix: "Phường Ba Đình" → "Ba Đình"."""
    text = normalize(name)
    lowered = text.lower()
    for prefix in UNIT_PREFIXES:
        p = prefix.lower()
        if lowered.startswith(p + " ") and len(text) > len(p) + 1:
            return text[len(p) + 1:]
    return text


def _letter(ch: str) -> tuple[int, int]:
    """(alphabet rank, tone rank) of one precomposed lower-case character."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = 0
    kept = []
    for part in decomposed:
        if part in _TONE_MARKS:
            tone = _TONE_RANK[part]
        else:
            kept.append(part)
    base = unicodedata.normalize("NFC", "".join(kept))
    if base.isspace():
        return (-1, 0)
    if base in _LETTER_RANK:
        return (_LETTER_RANK[base], tone)
    # Punctuation and other scripts: after every letter, in code-point order.
    return (len(_ALPHABET) + ord(base[0]), tone)


@lru_cache(maxsize=8192)
def vietnamese_key(text: str) -> Key:
    """Sort key for a Vietnamese text (alphabet first, then tones, numbers by value)."""
    primary: list[tuple[int, ...]] = []
    tones: list[int] = []
    for chunk in _CHUNK_RE.split(normalize(text).lower()):
        if not chunk:
            continue
        if chunk.isdigit():
            primary.append((0, int(chunk)))
            continue
        letters = [_letter(ch) for ch in chunk]
        primary.append((1, *(rank for rank, _tone in letters)))
        tones.extend(tone for _rank, tone in letters)
    return (tuple(primary), tuple(tones))


def place_key(name: str) -> Key:
    """Sort key for a unit name, ignoring its administrative prefix."""
    return vietnamese_key(short_name(name))
