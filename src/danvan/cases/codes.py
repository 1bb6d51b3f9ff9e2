"""Public case codes: "PA" + year + 8 random Crockford base-32 characters ("PA2025K7M3Q9XD").

The code is the citizen's only key to their case, so it is drawn from ``secrets`` (40 bits:
a trillion possibilities a year, far beyond what rate-limited guessing can reach) and never
derived from the row id. Crockford's alphabet has no I, L, O or U, so a code read over the
phone or copied by hand survives the usual confusions, which ``normalize_code`` undoes.
The same prefix serves every kind, so a code does not tell that it belongs to a denunciation.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "PA"
RANDOM_LENGTH = 8
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CODE_RE = re.compile(rf"^{PREFIX}\d{{4}}[{ALPHABET}]{{{RANDOM_LENGTH}}}$")


def new_code(year: int) -> str:
    """A fresh random code for a case received in ``year``."""
    tail = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return f"{PREFIX}{year:04d}{tail}"


def normalize_code(text: str) -> str:
    """The canonical form of a typed code: upper case, no spaces or dashes, O→0, I/L→1."""
    compact = re.sub(r"[\s\-_.]", "", text or "").upper()
    # The prefix holds none of the confusable letters; everything after it is digits or base 32.
    return compact[:len(PREFIX)] + compact[len(PREFIX):].translate(_CONFUSABLE)


def looks_like_code(text: str) -> bool:
    """Whether normalised text has the shape of a case code."""
    return bool(_CODE_RE.match(text))
