"""The importer registry: each domain declares what a row of its spreadsheet becomes.

An importer names its target fields, a validator that turns a row's texts into cleaned values
or a list of Vietnamese errors, and a writer that hands cleaned values to the domain service
(so the domain's own validation and audit trail apply to imported records too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from danvan.imports.mapping import TargetField

# (actor, field key → cell text) → (cleaned values, errors as (field key, Vietnamese reason))
Validator = Callable[[Any, dict[str, str]], tuple[dict[str, Any], list[tuple[str, str]]]]
Writer = Callable[[Any, dict[str, Any]], object]


@dataclass(frozen=True)
class Importer:
    kind: str  # e.g. "practices.models"
    label: str  # Vietnamese, shown when choosing what to import
    fields: tuple[TargetField, ...]
    validate_row: Validator
    write_row: Writer


_REGISTRY: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    if importer.kind in _REGISTRY and _REGISTRY[importer.kind] is not importer:
        raise ValueError(f"importer {importer.kind!r} is already registered")
    _REGISTRY[importer.kind] = importer
    return importer


def get(kind: str) -> Importer:
    return _REGISTRY[kind]


def all_importers() -> list[Importer]:
    return sorted(_REGISTRY.values(), key=lambda i: i.label)
