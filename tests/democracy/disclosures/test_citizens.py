"""Citizens follow a commune's board (confirmed, cancellable) and ask questions that become cases."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from danvan.cases.models import Case, Kind
from danvan.core.errors import DomainError
from danvan.democracy.disclosures import services as s
from danvan.democracy.disclosures.models import DisclosureCategory, DisclosureQuestion, Subscription
from danvan.notifications.models import NotificationChannel, Outbox

from .conftest import Commune

pytestmark = pytest.mark.django_db


def post(c: Commune, code: str = "thu_hoi_dat_tai_dinh_cu") -> s.Posted:
    return s.item_create(actor=c.leader, commune=c.unit, category=DisclosureCategory.objects.get(code=code),
                         title="Phương án bồi thường, hỗ trợ, tái định cư đường Hoàng Hoa Thám",
                         content="Danh sách hộ, diện tích, đơn giá.", posted_on=dt.date(2026, 1, 5))


def subscribe(c: Commune, capture: Any, channel: str = "email", address: str = "Dan@Example.vn") -> Subscription:
    with capture(execute=True):
        return s.subscription_create(commune=c.unit, channel=channel, address=address, base_url="https://cong.vn")


def test_email_subscription_confirmed_by_link_then_notified_after_commit(
        commune: Commune, django_capture_on_commit_callbacks: Any) -> None:
    sub = subscribe(commune, django_capture_on_commit_callbacks)
    assert sub.address == "dan@example.vn" and not sub.active
    confirm = Outbox.objects.get(recipient="dan@example.vn")
    assert confirm.channel == NotificationChannel.EMAIL and f"https://cong.vn/dan-chu/cong-khai/xac-nhan/{sub.token}/" \
        in confirm.body and confirm.status == "sent"

    # Not confirmed yet: a new item sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        post(commune)
    assert Outbox.objects.count() == 1

    s.subscription_confirm(token=sub.token)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item = post(commune).item
        # Nothing is queued while the item's transaction is open.
        assert Outbox.objects.count() == 1
    assert callbacks
    for callback in callbacks:
        callback()
    notice = Outbox.objects.get(dedupe_key=f"disclosures:item:{item.pk}:{sub.pk}")
    assert item.title in notice.subject and f"/dan-chu/cong-khai/{commune.unit.code}/{item.pk}/" in notice.body
    assert f"/dan-chu/cong-khai/huy-dang-ky/{sub.token}/" in notice.body
    # Re-running the fan-out queues nothing twice.
    assert s.subscribers_notify(item_id=item.pk) == 0

    s.subscription_cancel(token=sub.token)
    with django_capture_on_commit_callbacks(execute=True):
        post(commune)
    assert Outbox.objects.filter(dedupe_key__startswith="disclosures:item:").count() == 1


def test_sms_subscription_confirmed_by_code(commune: Commune, django_capture_on_commit_callbacks: Any) -> None:
    sub = subscribe(commune, django_capture_on_commit_callbacks, channel="sms", address="0912 345 678")
    message = Outbox.objects.get(recipient="0912345678")
    assert message.channel == NotificationChannel.SMS and sub.confirm_code in message.body
    with pytest.raises(DomainError):
        s.subscription_confirm(commune=commune.unit, address="0912345678", code="000000"
                               if sub.confirm_code != "000000" else "111111")
    assert s.subscription_confirm(commune=commune.unit, address="0912.345.678", code=sub.confirm_code).active
    # Subscribing again while active changes nothing and sends nothing.
    again = subscribe(commune, django_capture_on_commit_callbacks, channel="sms", address="0912345678")
    assert again.pk == sub.pk and Outbox.objects.count() == 1


@pytest.mark.parametrize(("channel", "address"), [("email", "not-an-email"), ("sms", "12ab"), ("email", "")])
def test_bad_addresses_are_refused(commune: Commune, channel: str, address: str) -> None:
    with pytest.raises(DomainError):
        s.subscription_create(commune=commune.unit, channel=channel, address=address)
    assert not Subscription.objects.exists()


def test_question_becomes_a_case_of_the_commune(commune: Commune) -> None:
    item = post(commune).item
    question = s.question_ask(item=item, kind=Kind.PETITION, text="Đơn giá bồi thường đất vườn tính thế nào?",
                              name="Nguyễn Văn An", phone="0912345678", wants_updates=True)
    case = Case.objects.get(pk=question.case.pk)
    assert case.kind == Kind.PETITION and case.unit == commune.unit and case.channel == "web"
    assert case.field.code == "boi_thuong_tai_dinh_cu"  # the category's field
    assert item.title in case.title and f"/dan-chu/cong-khai/{commune.unit.code}/{item.pk}/" in case.description
    assert case.submitter_phone == "0912345678" and case.code
    assert DisclosureQuestion.objects.get(item=item).case == case


def test_question_kind_and_text_are_checked(commune: Commune) -> None:
    item = post(commune).item
    with pytest.raises(DomainError):
        s.question_ask(item=item, kind=Kind.DENUNCIATION, text="Tố cáo")
    with pytest.raises(DomainError):
        s.question_ask(item=item, kind=Kind.FEEDBACK, text="   ")
    assert not Case.objects.exists()


def test_item_dated_ahead_is_announced_on_its_day(commune: Commune, django_capture_on_commit_callbacks: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from django.utils import timezone

    sub = subscribe(commune, django_capture_on_commit_callbacks)
    s.subscription_confirm(token=sub.token)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 5, 4))
    with django_capture_on_commit_callbacks(execute=True):
        item = s.item_create(actor=commune.leader, commune=commune.unit,
                             category=DisclosureCategory.objects.get(code="phi_le_phi"), title="Mức thu lệ phí mới",
                             content="Áp dụng từ tuần sau.", posted_on=dt.date(2026, 5, 11)).item
    assert not Outbox.objects.filter(dedupe_key__startswith="disclosures:item:").exists()
    assert s.scheduled_items_notify(today=dt.date(2026, 5, 10)) == 0
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 5, 11))
    out = StringIO()
    call_command("disclosures_jobs", "notify-scheduled", stdout=out)  # what `danvan serve` runs
    assert "Đã xếp 1 thông báo công khai thông tin." in out.getvalue()
    assert s.scheduled_items_notify() == 0
    assert Outbox.objects.filter(dedupe_key=f"disclosures:item:{item.pk}:{sub.pk}").exists()
