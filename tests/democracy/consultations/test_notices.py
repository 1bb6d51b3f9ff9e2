"""A comment period that opens is announced once to the subscribers of the communes concerned."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from danvan.democracy.consultations.models import Consultation
from danvan.democracy.consultations.notices import open_periods_notify
from danvan.democracy.disclosures.services import subscription_confirm, subscription_create
from danvan.notifications.models import Outbox
from danvan.units.models import Unit

from .conftest import Setup, make_consultation

pytestmark = pytest.mark.django_db


def _subscriber(unit: Unit, address: str, channel: str = "email") -> None:
    sub = subscription_create(commune=unit, channel=channel, address=address, base_url="https://danvan.example.vn")
    subscription_confirm(token=sub.token)


def test_open_period_is_announced_once_to_confirmed_subscribers(setup: Setup, hanoi: Unit) -> None:
    Consultation.objects.filter(pk=setup.consultation.pk).update(published=True)
    _subscriber(setup.unit, "dan@example.vn")
    _subscriber(setup.unit, "0912345678", channel="sms")
    subscription_create(commune=setup.unit, channel="email", address="chua.xac.nhan@example.vn")  # not confirmed
    other = Unit.objects.get(era="current", level=3, code="00008")
    _subscriber(other, "hangxom@example.vn")  # another commune: not concerned
    Outbox.objects.all().delete()  # confirmation messages

    assert open_periods_notify() == 2
    rows = Outbox.objects.filter(dedupe_key__startswith="consultations:open:")
    assert {r.recipient for r in rows} == {"dan@example.vn", "0912345678"}
    body = rows.get(recipient="dan@example.vn").body
    assert setup.consultation.title in body
    assert f"https://danvan.example.vn/dan-chu/gop-y/{setup.consultation.pk}/" in body
    assert open_periods_notify() == 0  # idempotent
    out = StringIO()
    call_command("consultations_jobs", "notify-open", stdout=out)  # what `danvan serve` runs
    assert "Đã xếp 0 thông báo lấy ý kiến dự thảo." in out.getvalue()


def test_not_yet_open_closed_or_unpublished_are_not_announced(setup: Setup) -> None:
    _subscriber(setup.unit, "dan@example.vn")
    Outbox.objects.all().delete()
    Consultation.objects.filter(pk=setup.consultation.pk).update(published=False)
    assert open_periods_notify() == 0  # an unpublished draft is not announced
    later = make_consultation(actor=setup.leader, unit=setup.unit, opens=dt.timedelta(days=2),
                              closes=dt.timedelta(days=9))
    Consultation.objects.filter(pk=later.pk).update(published=True)
    assert open_periods_notify() == 0
    assert open_periods_notify(now=timezone.now() + dt.timedelta(days=3)) == 1
    assert open_periods_notify(now=timezone.now() + dt.timedelta(days=20)) == 0


def test_a_province_consultation_reaches_its_communes(setup: Setup, hanoi: Unit, db: Any) -> None:
    province_wide = make_consultation(actor=setup.leader, unit=setup.unit)
    Consultation.objects.filter(pk=province_wide.pk).update(published=True, unit=hanoi, unit_path=hanoi.path)
    Consultation.objects.filter(pk=setup.consultation.pk).update(published=False)
    _subscriber(setup.unit, "dan@example.vn")
    Outbox.objects.all().delete()
    assert open_periods_notify() == 1
    assert Outbox.objects.get().dedupe_key.startswith(f"consultations:open:{province_wide.pk}:")
