"""Helpers for transactional tests (live server, threads), which see only committed data."""

from __future__ import annotations

import importlib
import xml.etree.ElementTree as ET

from django.apps import apps
from django.core.management import call_command

from danvan.units.models import Era, Level, Status, Unit


def ensure_reference_data() -> None:
    """Reload the unit tree and the case reference data if an earlier transactional test flushed them."""
    if Unit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE, status=Status.ACTIVE).count() != 34:
        call_command("units", "import", verbosity=0)
    # The fields, legal rules and holidays come from a data migration: load it again (idempotent).
    importlib.import_module("danvan.cases.migrations.0002_reference_data").load(apps, None)


def parse_xml(content: bytes) -> ET.Element:
    """Parse a response of our own server (trusted, so the stdlib parser is safe here)."""
    return ET.fromstring(content)  # noqa: S314
