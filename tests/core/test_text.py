"""Vietnamese text core: tone-mark placement, normalisation, folding, tokenisation."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from danvan.core.text import TONE_MARKS, canonical_tones, fold, fold_tokens, normalize, tokenize


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- known pairs ---------------------------------------------------------------------------

NEW_TO_TRADITIONAL = [
    ("hoà", "hòa"),
    ("hoá", "hóa"),
    ("hoả", "hỏa"),
    ("hoạ", "họa"),
    ("thuỷ", "thủy"),
    ("thuý", "thúy"),
    ("Thuỵ", "Thụy"),
    ("khoẻ", "khỏe"),
    ("xoè", "xòe"),
    ("loé", "lóe"),
    ("uỷ ban", "ủy ban"),
    ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
    ("Thanh Hoá", "Thanh Hóa"),
    ("Khánh Hoà", "Khánh Hòa"),
    ("Tỉnh Thanh Hoá", "Tỉnh Thanh Hóa"),
    ("Xã Sơn Thuỷ", "Xã Sơn Thủy"),
    ("Phường Nguyễn Uý", "Phường Nguyễn Úy"),
    ("HOÀ BÌNH", "HÒA BÌNH"),
    ("THUỶ", "THỦY"),
    ("hOà", "hÒa"),
    # a tone typed on the onset's u or i belongs to the vowel after it
    ("qúy", "quý"),
    ("gìa", "già"),
    # words glued by an underscore (tokenizer output) are still two words
    ("Thanh_Hoá", "Thanh_Hóa"),
    ("hoà, thuỷ; khoẻ.", "hòa, thủy; khỏe."),
]

ALREADY_TRADITIONAL = [
    "hòa", "thủy", "khỏe", "của", "mùa", "người", "quý", "quốc", "giữ", "già", "gìn", "Nguyễn",
    "khuỷu", "ngoài", "tuổi", "hoàn", "thuyền", "huỳnh", "hoạch", "quyển", "giỏi", "giếng",
    "giúp", "rượu", "cứu", "hươu", "thuở", "ngoẹo", "khuấy", "hoặc", "tuấn", "thuế", "mía",
    "Quỳ Châu", "Quỹ Nhất", "Đắk Lắk", "Lê Quý Đôn", "Thành phố Hồ Chí Minh", "Tỉnh Khánh Hòa",
    "Dân vận khéo", "Mặt trận Tổ quốc Việt Nam",
]

LEFT_ALONE = [
    "café", "José", "résumé", "naïve", "Pokémon", "Pleiku", "Krông Bông", "Blà",
    "2025", "12/2025/QH15", "hoà2", "abc", "Đường 3/2", "ǹ", "",
    "hoàbình",  # two tones in one "word": not a syllable, do not guess
]


@pytest.mark.parametrize(("given_text", "expected"), NEW_TO_TRADITIONAL)
def test_new_placement_becomes_traditional(given_text: str, expected: str) -> None:
    assert canonical_tones(given_text) == expected
    assert normalize(given_text) == expected
    assert canonical_tones(nfd(given_text)) == expected


@pytest.mark.parametrize("word", ALREADY_TRADITIONAL)
def test_traditional_words_are_unchanged(word: str) -> None:
    assert canonical_tones(word) == word
    assert normalize(word) == word
    assert normalize(nfd(word)) == word


@pytest.mark.parametrize("word", LEFT_ALONE)
def test_non_vietnamese_words_and_numbers_are_left_alone(word: str) -> None:
    assert canonical_tones(word) == nfc(word)


def test_normalize_collapses_space_and_strips_invisible_characters() -> None:
    assert normalize("  Thanh\u00a0\u00a0Hoá\t\n") == "Thanh Hóa"
    assert normalize("Hà\u200bNội") == "HàNội"
    assert normalize("\ufeffHòa") == "Hòa"
    assert normalize(None) == ""
    assert normalize("   ") == ""


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        ("Dân vận khéo", "dan van kheo"),
        ("Đường", "duong"),
        ("ĐƯỜNG HOÀ BÌNH", "duong hoa binh"),
        ("Hòa", "hoa"),
        ("hoà", "hoa"),
        ("Thanh Hóa, Khánh Hoà.", "thanh hoa khanh hoa"),
        ("thanh_hoa", "thanh hoa"),
        ("Nguyễn   Văn\tA", "nguyen van a"),
        ("Tổ dân phố số 3", "to dan pho so 3"),
        ("50% đã xử lý", "50 da xu ly"),
        ("Ｈà Ｎội １２", "ha noi 12"),
        ("Ðường", "duong"),  # U+00D0 from legacy encodings, mistaken for Đ
        ("", ""),
        (None, ""),
        ("%_'\"\\", ""),
    ],
)
def test_fold_examples(given_text: str | None, expected: str) -> None:
    assert fold(given_text) == expected


def test_fold_of_nfd_input_equals_fold_of_nfc_input() -> None:
    text = "Ủy ban nhân dân Phường Ba Đình, Thành phố Hà Nội"
    assert fold(nfd(text)) == fold(nfc(text)) == "uy ban nhan dan phuong ba dinh thanh pho ha noi"


def test_fold_tokens() -> None:
    assert fold_tokens("  Thôn  Đông, xã Hòa ") == ["thon", "dong", "xa", "hoa"]
    assert fold_tokens("...") == []
    assert fold_tokens(None) == []


def test_tokenize_groups_multi_syllable_words() -> None:
    tokens = tokenize("Thành phố Hà Nội")
    assert "Thành_phố" in tokens
    assert "Hà_Nội" in tokens


def test_tokenize_normalizes_first_and_handles_empty_text() -> None:
    assert tokenize(nfd("Thanh Hoá")) == tokenize("Thanh Hóa")
    assert tokenize("   ") == []


# --- property tests ------------------------------------------------------------------------

ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
          "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]
# Nuclei with the codas they take ("" = open syllable), written without tone.
OPEN_NUCLEI = ["a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây", "eo",
               "êu", "ia", "iu", "oa", "oe", "oi", "ôi", "ơi", "ua", "uê", "ui", "uơ", "uy", "ưa", "ưi",
               "ưu", "iêu", "oai", "oay", "oeo", "uây", "uôi", "uya", "uyu", "ươi", "ươu", "yêu"]
CLOSED_NUCLEI = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "iê", "oa", "oă", "oe", "oo",
                 "uâ", "uô", "uy", "ươ", "yê", "uyê"]
CODAS = ["c", "ch", "m", "n", "ng", "nh", "p", "t"]
TONES = ["\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


@st.composite
def syllable_parts(draw: st.DrawFn) -> tuple[str, str, str]:
    """(onset, nucleus, coda) of a Vietnamese-like syllable, all lower case, no tone."""
    onset = draw(st.sampled_from(ONSETS))
    if draw(st.booleans()):
        nucleus, coda = draw(st.sampled_from(OPEN_NUCLEI)), ""
    else:
        nucleus, coda = draw(st.sampled_from(CLOSED_NUCLEI)), draw(st.sampled_from(CODAS))
    return onset, nucleus, coda


def with_tone(onset: str, nucleus: str, coda: str, tone: str, at: int, case: str) -> str:
    """The syllable in NFC with ``tone`` on the nucleus letter ``at`` and the given letter case."""
    letters = list(nucleus)
    letters[at] = letters[at] + tone
    text = nfc(onset + "".join(letters) + coda)
    if case == "upper":
        return text.upper()
    if case == "title":
        return text[:1].upper() + text[1:]
    return text


@st.composite
def toned_syllables(draw: st.DrawFn) -> tuple[str, tuple[str, str, str, str, str]]:
    """A syllable with one tone on any vowel of its nucleus, and the parts it was built from."""
    onset, nucleus, coda = draw(syllable_parts())
    tone = draw(st.sampled_from(TONES))
    at = draw(st.integers(min_value=0, max_value=len(nucleus) - 1))
    case = draw(st.sampled_from(["lower", "upper", "title"]))
    return with_tone(onset, nucleus, coda, tone, at, case), (onset, nucleus, coda, tone, case)


@st.composite
def syllables(draw: st.DrawFn) -> str:
    """A Vietnamese-like syllable, with or without a tone."""
    if draw(st.booleans()):
        return draw(toned_syllables())[0]
    onset, nucleus, coda = draw(syllable_parts())
    return onset + nucleus + coda


SEPARATORS = st.sampled_from([" ", "  ", ", ", ". ", "\t", "\n", " - ", "/", "\u00a0"])
NUMBERS = st.integers(min_value=0, max_value=99999).map(str)


@st.composite
def vietnamese_texts(draw: st.DrawFn) -> str:
    """Sentences of Vietnamese-like syllables, numbers and punctuation, in NFC or NFD."""
    words = draw(st.lists(st.one_of(syllables(), NUMBERS), min_size=0, max_size=8))
    seps = draw(st.lists(SEPARATORS, min_size=len(words), max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, seps, strict=True))
    return nfd(text) if draw(st.booleans()) else text


# Arbitrary text, biased toward the letters and marks that matter here.
MESSY_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("aăâeêioôơuưyđĐgqhnAOUYĐ _-.,\t ") + TONES + ["\u0302", "\u0306", "\u031b",
                                                                          "\u200b", "\ufeff", "\u00ad"]),
        st.characters(),
    ),
    max_size=40,
)


def tones_of(text: str) -> list[str]:
    return sorted(ch for ch in nfd(text) if ch in TONE_MARKS)


def without_tones(text: str) -> str:
    return "".join(ch for ch in nfd(text) if ch not in TONE_MARKS)


@settings(max_examples=300)
@given(toned_syllables())
def test_canonical_tones_only_moves_the_mark(sample: tuple[str, tuple[str, str, str, str, str]]) -> None:
    syllable, _parts = sample
    out = canonical_tones(syllable)
    assert len(out) == len(syllable)  # both NFC: one code point per letter
    assert out == nfc(out)
    assert tones_of(out) == tones_of(syllable)
    assert without_tones(out) == without_tones(syllable)
    assert fold(out) == fold(syllable)


@settings(max_examples=300)
@given(toned_syllables(), st.data())
def test_canonical_tones_ignores_where_the_mark_was_typed(
    sample: tuple[str, tuple[str, str, str, str, str]], data: st.DataObject
) -> None:
    """Both placements (and typos inside the vowel cluster) give one canonical form."""
    syllable, (onset, nucleus, coda, tone, case) = sample
    other_at = data.draw(st.integers(min_value=0, max_value=len(nucleus) - 1))
    other = with_tone(onset, nucleus, coda, tone, other_at, case)
    assert canonical_tones(other) == canonical_tones(syllable)
    out = canonical_tones(syllable)
    # The mark lands on a vowel, never on a consonant.
    marked = [ch for ch in nfd(out) if ch in TONE_MARKS]
    assert marked == [tone]
    base_before_mark = re.sub("[\u0302\u0306\u031b]", "", nfd(out).split(tone)[0])[-1].lower()
    assert base_before_mark in "aeiouy"



@settings(max_examples=300)
@given(st.one_of(vietnamese_texts(), MESSY_TEXT))
@example("hoà\u0301")  # a stray mark after a moved tone composes with the new last letter
@example("thuỷ\u0323 ")
def test_canonical_tones_is_idempotent(text: str) -> None:
    once = canonical_tones(text)
    assert canonical_tones(once) == once


@settings(max_examples=300)
@given(st.one_of(vietnamese_texts(), MESSY_TEXT))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@settings(max_examples=300)
@given(st.one_of(vietnamese_texts(), MESSY_TEXT))
def test_fold_ignores_normalisation(text: str) -> None:
    assert fold(normalize(text)) == fold(text)


@settings(max_examples=300)
@given(st.one_of(vietnamese_texts(), MESSY_TEXT))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300)
@given(st.one_of(vietnamese_texts(), MESSY_TEXT))
def test_normalize_ignores_unicode_form(text: str) -> None:
    assert normalize(nfd(text)) == normalize(nfc(text))


@settings(max_examples=300)
@given(vietnamese_texts())
def test_fold_of_vietnamese_text_is_plain_ascii(text: str) -> None:
    folded = fold(text)
    assert re.fullmatch(r"[a-z0-9 ]*", folded)
    assert "  " not in folded
    assert folded == folded.strip()
    assert fold(text.upper()) == folded
    assert fold(nfd(text)) == fold(nfc(text)) == folded
