"""Vietnamese text: normalisation, canonical tone-mark placement, folding, tokenisation.

Official data itself mixes two tone-mark placements ("Thanh Hóa" and "Thanh Hoá", "thủy" and
"thuỷ") and two Unicode forms (precomposed NFC and decomposed NFD from some keyboards), so
every comparison, uniqueness check and search goes through these functions first:

- ``normalize``: NFC, collapsed whitespace, canonical tone placement. Store this.
- ``fold``: diacritics off, đ→d, lower case, punctuation to spaces. Search on this, and fold
  the query the same way, so "dan van kheo" finds "Dân vận khéo" and "hoà" finds "Hòa".
- ``tokenize``: word segmentation (pyvi, offline) for multi-syllable words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining tone marks (dấu thanh) in NFD: grave, acute, hook above, tilde, dot below.
TONE_MARKS = frozenset({"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"})
# Vowel-shape marks that belong to the letter (â ê ô: circumflex, ă: breve, ơ ư: horn).
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"
SHAPE_MARKS = frozenset({CIRCUMFLEX, BREVE, HORN})
# The shapes each Vietnamese vowel can take; any other mark means the word is not Vietnamese.
_VOWEL_SHAPES = {
    "a": {"", CIRCUMFLEX, BREVE},
    "e": {"", CIRCUMFLEX},
    "o": {"", CIRCUMFLEX, HORN},
    "u": {"", HORN},
    "i": {""},
    "y": {""},
}
# Onsets and codas of Vietnamese syllables. "k" as a coda and "đ" as an onset cover the
# Central Highlands names (Đắk Lắk); "gi" and "qu" are resolved separately below.
_ONSETS = frozenset({
    "", "b", "c", "ch", "d", "đ", "g", "gh", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh",
    "p", "ph", "q", "r", "s", "t", "th", "tr", "v", "x",
})
_CODAS = frozenset({"", "c", "ch", "k", "m", "n", "ng", "nh", "p", "t"})

# A word for tone placement: a run of letters and digits (underscores and punctuation split).
_WORD_RE = re.compile(r"[^\W_]+")
_SPACE_RE = re.compile(r"\s+")
# Zero-width space, word joiner and byte-order mark: invisible, pasted from web pages and Word,
# and they would split or glue words unseen. (ZWJ/ZWNJ are kept: emoji and some scripts need them.)
_INVISIBLE_RE = re.compile("[\u200b\u2060\ufeff\u00ad]")
_SEPARATORS_RE = re.compile(r"[\W_]+")
# Letters that look like đ but are not (Icelandic eth from legacy encodings, African D).
_D_LIKE = str.maketrans({"đ": "d", "ð": "d", "ɖ": "d"})

_Letter = tuple[str, str, str]  # (base letter, shape marks, tone mark)


def _split_letters(syllable_nfd: str) -> list[_Letter]:
    """Split an NFD syllable into (base letter, shape marks, tone mark) per letter."""
    letters: list[_Letter] = []
    for ch in syllable_nfd:
        if unicodedata.combining(ch) and letters:
            base, shape, tone = letters[-1]
            if ch in TONE_MARKS and not tone:
                letters[-1] = (base, shape, ch)
            else:
                # A second tone mark on one letter lands here and fails the shape check in _nucleus.
                letters[-1] = (base, shape + ch, tone)
        else:
            letters.append((ch, "", ""))
    return letters


def _is_vowel(letter: _Letter) -> bool:
    return letter[0].lower() in _VOWEL_SHAPES


def _nucleus(letters: list[_Letter]) -> list[int] | None:
    """Indexes of the vowel nucleus of a Vietnamese syllable, or None if it is not one.

    The syllable must read onset + 1–3 vowels + coda with known onset and coda and no mark
    on a consonant. The u of "qu" and the i of "gi" before another vowel belong to the onset
    (quý, già, giữ), while a lone i after g is the vowel (gìn); a tone typed on that u or i
    ("qúy", "gìa") is then moved onto the nucleus.
    """
    lower = [b.lower() for b, _s, _t in letters]
    start = 0
    while start < len(letters) and not _is_vowel(letters[start]):
        start += 1
    end = start
    while end < len(letters) and _is_vowel(letters[end]):
        end += 1
    if start == end:
        return None
    onset, coda = "".join(lower[:start]), "".join(lower[end:])
    if onset not in _ONSETS or coda not in _CODAS:
        return None
    for i, (_base, shape, tone) in enumerate(letters):
        if i < start or i >= end:
            if shape or tone:
                return None  # marks on a consonant: not Vietnamese
        elif shape not in _VOWEL_SHAPES[lower[i]]:
            return None
    vowels = list(range(start, end))
    glide = (onset, lower[start]) in {("q", "u"), ("g", "i")}
    if glide and len(vowels) > 1 and not letters[start][1]:
        vowels = vowels[1:]
    if onset == "q" and lower[start] != "u":
        return None
    if len(vowels) > 3:
        return None
    return vowels


def _tone_position(letters: list[_Letter], nucleus: list[int]) -> int:
    """Index of the letter that carries the tone in the traditional ("old") placement.

    Old placement (hòa, thủy, khỏe) is the one most official names use (Thanh Hóa, Khánh
    Hòa); the new placement (hoà, thuỷ) only differs for open syllables in oa, oe, uy.
    """
    shaped = [i for i in nucleus if letters[i][1]]
    if shaped:
        # ươ, ưa, uyê...: the tone sits on the last shaped vowel (người, cửa, thuyền).
        return shaped[-1]
    if len(nucleus) == 1:
        return nucleus[0]
    has_coda = nucleus[-1] < len(letters) - 1
    if has_coda:
        return nucleus[-1]  # hoàn, huỳnh, hoạch
    if len(nucleus) == 2:
        return nucleus[0]  # hòa, thủy, khỏe, của, mía
    return nucleus[1]  # ngoài, khuỷu, ngoẹo


def _canonical_syllable(syllable: str) -> str:
    """One NFC word with its tone moved to the traditional place; unchanged if not Vietnamese."""
    letters = _split_letters(unicodedata.normalize("NFD", syllable))
    tones = [t for _b, _s, t in letters if t]
    if len(tones) != 1 or not all(b.isalpha() for b, _s, _t in letters):
        return syllable
    nucleus = _nucleus(letters)
    if nucleus is None:
        return syllable
    pos = _tone_position(letters, nucleus)
    rebuilt = "".join(base + shape + (tones[0] if i == pos else "")
                      for i, (base, shape, _t) in enumerate(letters))
    return unicodedata.normalize("NFC", rebuilt)


@lru_cache(maxsize=65536)
def _canonical_word(word: str) -> str:
    return _canonical_syllable(word)


def canonical_tones(text: str) -> str:
    """Move every tone mark to its traditional place ("hoà" → "hòa", "thuỷ" → "thủy"); NFC out.

    Words that are not Vietnamese syllables (café, José, 2025, Pleiku) are left as they are.
    """
    text = unicodedata.normalize("NFC", text)
    moved = _WORD_RE.sub(lambda m: _canonical_word(m.group(0)), text)
    # A stray combining mark right after a rebuilt word may now compose with it: NFC again.
    return unicodedata.normalize("NFC", moved)


def normalize(text: str | None) -> str:
    """NFC, single spaces, trimmed, canonical tone placement: the form to store."""
    if not text:
        return ""
    text = _INVISIBLE_RE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACE_RE.sub(" ", text).strip()
    return canonical_tones(text)


def fold(text: str | None) -> str:
    """Accent-free lower-case form for search: "Đường Hoà Bình" → "duong hoa binh".

    Compatibility forms fold too (full-width "１" → "1"), and punctuation and underscores
    become single spaces, so "Thanh Hóa," and "thanh_hoa" both give "thanh hoa".
    """
    if not text:
        return ""
    text = _INVISIBLE_RE.sub("", text).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    stripped = stripped.lower().translate(_D_LIKE)
    return _SEPARATORS_RE.sub(" ", stripped).strip()


def fold_tokens(text: str | None) -> list[str]:
    """The folded words of a text, in order."""
    folded = fold(text)
    return folded.split(" ") if folded else []


def tokenize(text: str) -> list[str]:
    """Vietnamese word segmentation: "Thành phố Hà Nội" → ["Thành_phố", "Hà_Nội"].

    pyvi's CRF model ships inside the package, so this works offline.
    """
    from pyvi import ViTokenizer  # heavy import (scikit-learn): load only when used

    normalized = normalize(text)
    if not normalized:
        return []
    return ViTokenizer.tokenize(normalized).split(" ")
