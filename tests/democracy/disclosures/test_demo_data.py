"""`danvan demo-data` gives the demo communes a disclosure board with compliance findings, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from danvan.democracy.disclosures import compliance
from danvan.democracy.disclosures.models import ChannelKind, DisclosureChannel, DisclosureItem

pytestmark = pytest.mark.django_db

SMALL = {"province": "01", "scale": "small", "seed": 1, "communes_limit": 2}


def test_demo_boards_are_made_once() -> None:
    call_command("demo_data", stdout=StringIO(), **SMALL)
    items, channels = DisclosureItem.objects.count(), DisclosureChannel.objects.count()
    assert items > 0 and channels >= 2 * items
    assert DisclosureChannel.objects.filter(kind=ChannelKind.RADIO, days=3).exists()
    today = timezone.localdate()
    paths = sorted(set(DisclosureItem.objects.values_list("unit_path", flat=True)))
    counts = compliance.communes_counts(paths=paths, year=today.year, today=today)
    assert sum(c.ok for c in counts.values()) > 0
    if today.month >= 8:  # by August the first commune's missing Q2 report is overdue
        assert sum(c.missing for c in counts.values()) > 0

    call_command("demo_data", stdout=StringIO(), **SMALL)
    assert (DisclosureItem.objects.count(), DisclosureChannel.objects.count()) == (items, channels)
