"""Signals other apps listen to (notifications, insights): sent only after the transaction
that wrote the event has committed, so a listener never acts on a rolled-back change."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with: case_id (int), event_id (int), kind (EventKind value), public (bool).
case_event_committed = Signal()
