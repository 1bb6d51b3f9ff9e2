"""Case codes and the masking of personal data in published answers."""

from __future__ import annotations

import pytest

from danvan.cases.codes import ALPHABET, looks_like_code, new_code, normalize_code
from danvan.cases.redaction import MASK, redact


def test_new_codes_have_the_shape_and_alphabet() -> None:
    codes = {new_code(2025) for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert looks_like_code(code) and code[:6] == "PA2025" and set(code[6:]) <= set(ALPHABET)
    assert not set("ILOU") & set(ALPHABET)


@pytest.mark.parametrize(("typed", "expected"), [
    ("pa2025k7m3q9xd", "PA2025K7M3Q9XD"),
    (" PA-2025-K7M3 Q9XD ", "PA2025K7M3Q9XD"),
    ("PA2O25K7M3Q9XO", "PA2025K7M3Q9X0"),
    ("PA2025KIM3Q9XL", "PA2025K1M3Q9X1"),
])
def test_normalize_code(typed: str, expected: str) -> None:
    assert normalize_code(typed) == expected
    assert looks_like_code(normalize_code(typed))


@pytest.mark.parametrize(("text", "names", "kept", "masked"), [
    ("Liên hệ 0912 345 678 hoặc 0912.345.678 hoặc +84 912345678", [], ["Liên hệ"], ["0912", "912345678"]),
    ("Email: an.nguyen+pa@example.com.vn", [], ["Email:"], ["example", "an.nguyen"]),
    ("CCCD số 001085012345, CMND 012345678", [], ["CCCD số"], ["001085012345", "012345678"]),
    ("Nhà số 15/3 và số nhà 12A ngõ 45", [], ["và", "ngõ 45"], ["15/3", "12A"]),
    ("Hộ gia đình tại 20 đường Lê Lợi và 12/3 ngách 5", [], ["đường Lê Lợi", "ngách 5"], ["20 đường", "12/3"]),
    ("Theo Quyết định số 123/QĐ-UBND ngày 12/3/2025", [], ["123/QĐ-UBND", "12/3/2025"], []),
    ("Trả lời ông NGUYỄN VĂN AN và bà Nguyễn Văn Anh", ["Nguyễn Văn An"], ["Nguyễn Văn Anh"], ["NGUYỄN VĂN AN"]),
    ("Trả lời bà Hoà", ["Hòa"], ["Trả lời bà"], ["Hoà"]),  # tone placement does not hide a name
    ("Giữ [[chi tiết nhạy cảm]] kín", [], ["Giữ", "kín"], ["nhạy cảm"]),
    ("Dòng 1\n\nDòng 2", [], ["Dòng 1\n\nDòng 2"], []),
])
def test_redact(text: str, names: list[str], kept: list[str], masked: list[str]) -> None:
    out = redact(text, names=names)
    for part in kept:
        assert part in out
    for part in masked:
        assert part not in out
    if masked:
        assert MASK in out
