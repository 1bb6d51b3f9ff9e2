"""Masking personal data in an answer before it is published.

Automatic: e-mail addresses, phone numbers, ID numbers (9-digit CMND, 12-digit CCCD), house
numbers ("số nhà 12", "15 ngõ 3", "12/3 đường …") and the names the case itself knows
(the submitter's). Anything else an official marks by hand: ``[[...]]`` in the text is
masked too, so the drafter can redact a word the patterns cannot know.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from danvan.core.text import fold, normalize

MASK = "***"

_MANUAL = re.compile(r"\[\[(.+?)\]\]", re.DOTALL)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Vietnamese phone numbers: 0 or +84 then 9-10 digits, spaces, dots or dashes allowed between groups.
_PHONE = re.compile(r"(?<![\w+])(?:\+84|0084|0)(?:[\s.\-]?\d){8,10}(?!\d)")
_ID_NUMBER = re.compile(r"(?<!\d)(?:\d{12}|\d{9})(?!\d)")
# House numbers: "số nhà 12", "nhà số 5/7", or a number right before a street word ("12/3 ngõ
# 45", "20 đường Lê Lợi"). A bare "số 12/QĐ-UBND" is a document number and stays.
_STREET_WORDS = r"(?:đường|phố|ngõ|ngách|hẻm|kiệt)"
_HOUSE = re.compile(
    r"(?i)(?:(?:số\s+nhà|nhà\s+số)\s+\d+[A-Za-z]?(?:/\d+[A-Za-z]?)*)"
    rf"|(?:(?<![\w/])\d+[A-Za-z]?(?:/\d+[A-Za-z]?)*(?=\s+{_STREET_WORDS}\b))")


def _mask_names(text: str, names: Iterable[str]) -> str:
    """Mask each known name, whatever its case, tone placement or Unicode form."""
    for name in names:
        name = normalize(name)
        if len(fold(name)) < 3:
            continue
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in name.split(" ")) + r"(?!\w)",
                             re.IGNORECASE)
        text = pattern.sub(MASK, text)
    return text


def redact(text: str, *, names: Iterable[str] = ()) -> str:
    """The text with personal data masked (see the module docstring)."""
    text = normalize_keep_lines(text)
    text = _MANUAL.sub(MASK, text)
    text = _mask_names(text, names)
    text = _EMAIL.sub(MASK, text)
    text = _PHONE.sub(MASK, text)
    text = _ID_NUMBER.sub(MASK, text)
    return _HOUSE.sub(MASK, text)


def normalize_keep_lines(text: str) -> str:
    """``core.text.normalize`` line by line, so paragraphs survive."""
    return "\n".join(normalize(line) for line in (text or "").replace("\r\n", "\n").split("\n")).strip()
