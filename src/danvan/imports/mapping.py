"""An importer's target fields and the automatic mapping of sheet headers onto them.

Headers in provincial spreadsheets vary ("Tên mô hình", "ten mo hinh", "TÊN MÔ HÌNH:"), so
headers and synonyms are compared after ``fold`` (accents, case and punctuation removed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from danvan.core.text import fold


@dataclass(frozen=True)
class TargetField:
    key: str
    label: Any  # Vietnamese (lazy), shown in the mapping form and the error report
    required: bool = False
    synonyms: tuple[str, ...] = field(default_factory=tuple)

    def folded_names(self) -> set[str]:
        return {fold(str(name)) for name in (self.label, self.key, *self.synonyms)} - {""}


def auto_map(headers: list[str], fields: list[TargetField]) -> dict[str, int]:
    """Map field key → column index; each column is used at most once, first match wins."""
    folded = [fold(h) for h in headers]
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for target in fields:
        names = target.folded_names()
        for index, header in enumerate(folded):
            if index not in used and header in names:
                mapping[target.key] = index
                used.add(index)
                break
    return mapping


def missing_required(mapping: dict[str, int], fields: list[TargetField]) -> list[TargetField]:
    """Required fields the mapping leaves without a column."""
    return [f for f in fields if f.required and f.key not in mapping]


def row_values(row: list[str], mapping: dict[str, int]) -> dict[str, str]:
    """A data row as field key → cell text, by the mapping."""
    return {key: row[index] if index < len(row) else "" for key, index in mapping.items()}
