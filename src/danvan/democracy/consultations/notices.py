"""Telling people that a comment period has opened (issue 4 item 6).

Who is told: the confirmed subscribers of the notice boards (dân biết) of the communes the
consultation concerns — its unit, or every commune under a province's consultation. A periodic
job looks for consultations whose period is open, so a period that opens later is announced on
its day; dedupe keys make each subscriber hear of each consultation once.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.democracy.disclosures.models import Subscription, SubscriptionChannel
from danvan.notifications.models import NotificationChannel
from danvan.notifications.services import notification_queue

from .models import Consultation


def _site_url(path: str, base_url: str) -> str:
    from django.conf import settings

    return (base_url or getattr(settings, "DANVAN_SITE_URL", "")).rstrip("/") + path


def open_periods_notify(*, now: dt.datetime | None = None) -> int:
    """Queue one message per subscriber and open consultation not yet announced to them."""
    now = now or timezone.now()
    queued = 0
    consultations = Consultation.objects.filter(published=True, opens_at__lte=now, closes_at__gt=now).select_related(
        "unit")
    for consultation in consultations:
        subscribers = Subscription.objects.filter(unit__path__startswith=consultation.unit.path,
                                                  confirmed_at__isnull=False, unsubscribed_at__isnull=True)
        closes = timezone.localtime(consultation.closes_at).strftime("%d/%m/%Y")
        for sub in subscribers.iterator():
            url = _site_url(reverse("consultations_public:detail", args=[consultation.pk]), sub.base_url)
            stop = _site_url(reverse("disclosures_public:unsubscribe", args=[sub.token]), sub.base_url)
            body = _("%(unit)s lấy ý kiến nhân dân về dự thảo «%(title)s» đến hết ngày %(closes)s. "
                     "Góp ý tại: %(url)s\nNgừng nhận tin: %(stop)s") % {
                "unit": consultation.unit.name, "title": consultation.title, "closes": closes, "url": url,
                "stop": stop}
            row = notification_queue(
                channel=NotificationChannel.EMAIL if sub.channel == SubscriptionChannel.EMAIL
                else NotificationChannel.SMS,
                recipient=sub.address,
                subject=_("Lấy ý kiến dự thảo: %(title)s") % {"title": consultation.title},
                body=body, dedupe_key=f"consultations:open:{consultation.pk}:{sub.pk}")
            queued += row is not None
    return queued
