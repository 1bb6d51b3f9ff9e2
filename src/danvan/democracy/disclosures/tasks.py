"""Background work: telling a commune's subscribers about a new item, after the item is committed."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def notify_subscribers(item_id: int) -> int:
    from .services import subscribers_notify

    return subscribers_notify(item_id=item_id)


@shared_task(ignore_result=True)
def notify_scheduled_items() -> int:
    """Daily: tell subscribers about items whose posting day has come (dated ahead when entered)."""
    from .services import scheduled_items_notify

    return scheduled_items_notify()
